package io.cdisync.core.internal;

import io.cdisync.core.CdiException;
import io.cdisync.core.PreviewRow;
import io.cdisync.core.spi.FileLedger;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.StoredWatermark;
import io.cdisync.core.spi.TableWatermark;
import io.cdisync.core.spi.Watermark;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the next rows a run would read and translates them, sending nothing. */
public final class Previewer {
    private Previewer() {
    }

    public static List<PreviewRow> preview(RunSettings settings, int limit) {
        Instant now = settings.clock().instant();
        Watermark stored = settings.store().load(settings.syncId()).map(StoredWatermark::watermark).orElse(null);
        Watermark initial = settings.source().initialPosition(now);
        ReadRequest request;
        if (initial instanceof FileLedger) {
            request = new ReadRequest(null, now, Math.min(limit, settings.fetchSize()), stored instanceof FileLedger ? stored : initial);
        } else {
            // The read a run would start with: the same bounds as SyncRun's.
            Instant start = stored instanceof TableWatermark watermark ? watermark.updatedAt() : null;
            request = TableProgress.request(start, settings.lookback(), now.minus(settings.settleDelay()),
                    Math.min(limit, settings.fetchSize()), stored);
        }
        RowTranslator translator = new RowTranslator(settings.dataType(), settings.resolver(), settings.updateExistingOnly());
        List<PreviewRow> rows = new ArrayList<>(limit);
        try (RowStream stream = settings.source().read(request)) {
            RowBatch batch;
            while (rows.size() < limit && (batch = stream.nextBatch()) != null) {
                for (SourceRow row : batch.rows()) {
                    if (rows.size() >= limit) {
                        break;
                    }
                    rows.add(previewRow(translator, row, rows.size() + 1));
                }
            }
        }
        return rows;
    }

    private static PreviewRow previewRow(RowTranslator translator, SourceRow row, int position) {
        String rowKey = RowErrors.rowKey(row, position);
        if (row.payload() instanceof SourceRow.Unreadable unreadable) {
            return new PreviewRow(rowKey, null, null, RowErrors.unreadable(row, position, unreadable));
        }
        if (row.updatedAt() == null) {
            return new PreviewRow(rowKey, null, null, RowErrors.noUpdatedAt(row, position));
        }
        try {
            RowTranslator.Translated translated = translator.translate(row);
            return new PreviewRow(rowKey, row.updatedAt(), translated.tree(), null);
        } catch (InvalidRow invalid) {
            return new PreviewRow(rowKey, row.updatedAt(), null, RowErrors.invalid(row, position, invalid));
        } catch (CdiException e) {
            throw e;
        }
    }
}
