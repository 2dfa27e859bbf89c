package io.cdisync.bigquery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.StandardSQLTypeName;
import io.cdisync.core.CdiException;
import io.cdisync.core.spi.SourceRow;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The encodings BigQuery's REST API uses for cell values, and the microsecond rounding of the bounds. */
class ValueMappingTest {
    static final Instant AT = Instant.parse("2026-01-01T10:20:30.123456Z");

    static FieldValue cell(String value, boolean int64) {
        return FieldValue.of(FieldValue.Attribute.PRIMITIVE, value, int64);
    }

    @Test
    void timestampsInEveryEncodingTheClientPassesOn() {
        assertThat(RowMapper.timestamp(cell("1767262830123456", true))).isEqualTo(AT);
        assertThat(RowMapper.timestamp(cell("1.767262830123456E9", false))).isEqualTo(AT);
        assertThat(RowMapper.timestamp(cell("1.767262830123456E9", true))).isEqualTo(AT); // tabledata.list pages
        assertThat(RowMapper.timestamp(cell("1767262830.123456", false))).isEqualTo(AT);
        // A double printed with one digit too many or too few still lands on the microsecond.
        assertThat(RowMapper.timestamp(cell("1.7672628301234559E9", false))).isEqualTo(AT);
        assertThat(RowMapper.timestamp(cell("2026-01-01 10:20:30.123456 UTC", false))).isEqualTo(AT);
        assertThat(RowMapper.timestamp(cell("2026-01-01T10:20:30.123456Z", false))).isEqualTo(AT);
        assertThat(RowMapper.timestamp(cell("2026-01-01 12:20:30.123456+02:00", false))).isEqualTo(AT);
        assertThat(RowMapper.timestamp(cell("-1000000", true))).isEqualTo(Instant.parse("1969-12-31T23:59:59Z"));
        assertThatThrownBy(() -> RowMapper.timestamp(cell("yesterday", false))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRowMapsByPositionAndABadCellNamesTheColumnNotTheValue() {
        List<TableColumns.Present> selected = List.of(
                new TableColumns.Present(CdiColumn.UPDATED_AT, "updated_at", StandardSQLTypeName.TIMESTAMP),
                new TableColumns.Present(CdiColumn.ALIAS_NAME, "alias_name", StandardSQLTypeName.STRING),
                new TableColumns.Present(CdiColumn.ALIAS_LABEL, "alias_label", StandardSQLTypeName.STRING),
                new TableColumns.Present(CdiColumn.PHONE, "phone", StandardSQLTypeName.STRING),
                new TableColumns.Present(CdiColumn.DELETED, "deleted", StandardSQLTypeName.BOOL));
        FieldList fields = FieldList.of(selected.stream().map(p -> Field.of(p.fieldName(), p.type())).toList());
        RowMapper mapper = new RowMapper(selected);

        SourceRow row = mapper.map(FieldValueList.of(Arrays.asList(cell("1767262830123456", true), cell("device-1", false),
                cell("anon", false), cell(null, false), cell("false", false)), fields));

        assertThat(row.updatedAt()).isEqualTo(AT);
        assertThat(row.aliasName()).isEqualTo("device-1");
        assertThat(row.aliasLabel()).isEqualTo("anon");
        assertThat(row.phone()).isNull();
        assertThat(row.deleted()).isFalse();
        assertThatThrownBy(() -> mapper.map(FieldValueList.of(Arrays.asList(cell("secret-value", false), cell(null, false),
                cell(null, false), cell(null, false), cell(null, false)), fields)))
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("UPDATED_AT")
                .hasMessageNotContaining("secret-value");
    }

    @Test
    void boundsRoundToMicrosecondsTowardsTheInsideOfTheWindow() {
        assertThat(IncrementalQuery.floorMicros(Instant.parse("2026-01-01T00:00:00.123456789Z"))).isEqualTo(1767225600123456L);
        assertThat(IncrementalQuery.ceilMicros(Instant.parse("2026-01-01T00:00:00.123456001Z"))).isEqualTo(1767225600123457L);
        assertThat(IncrementalQuery.ceilMicros(Instant.parse("2026-01-01T00:00:00.123456Z"))).isEqualTo(1767225600123456L);
        assertThat(IncrementalQuery.floorMicros(Instant.parse("1969-12-31T23:59:59.999999500Z"))).isEqualTo(-1L);
        assertThat(IncrementalQuery.ceilMicros(Instant.parse("1969-12-31T23:59:59.999999500Z"))).isEqualTo(0L);
    }

    @Test
    void tableNamesAreValidatedAndBackquoted() {
        assertThat(new TableRef("example.com:acme", "braze_1", "users sync-2026").sql())
                .isEqualTo("`example.com:acme`.`braze_1`.`users sync-2026`");
        assertThatThrownBy(() -> new TableRef("acme", "braze", "users`; DROP TABLE x; --")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TableRef("acme", "bra\\ze", "t")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TableRef("ac`me", "braze", "t")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TableRef.column("updated`at")).isInstanceOf(IllegalArgumentException.class);
    }
}
