package io.cdisync.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static Instant local(String dateTime, ZoneId zone) {
        return LocalDateTime.parse(dateTime).atZone(zone).toInstant();
    }

    static List<Instant> runs(Schedule schedule, Instant from, int n) {
        List<Instant> runs = new ArrayList<>();
        Instant at = from;
        for (int i = 0; i < n; i++) {
            at = schedule.nextRunAfter(at);
            runs.add(at);
        }
        return runs;
    }

    @Test
    void fifteenMinutesAlignsToTheQuarterHourAndIsTheMinimum() {
        Schedule every15 = Schedule.every(Duration.ofMinutes(15), PARIS);
        assertThat(every15.nextRunAfter(local("2026-05-10T10:07:13", PARIS))).isEqualTo(local("2026-05-10T10:15:00", PARIS));
        assertThat(every15.nextRunAfter(local("2026-05-10T10:15:00", PARIS))).isEqualTo(local("2026-05-10T10:30:00", PARIS));
        assertThat(every15.nextRunAfter(local("2026-05-10T23:50:00", PARIS))).isEqualTo(local("2026-05-11T00:00:00", PARIS));
        assertThatThrownBy(() -> Schedule.every(Duration.ofMinutes(14), PARIS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("15 minutes");
        assertThat(Schedule.everyAllowingShortIntervals(Duration.ofMinutes(1), PARIS)
                .nextRunAfter(local("2026-05-10T10:07:13", PARIS))).isEqualTo(local("2026-05-10T10:08:00", PARIS));
        assertThatThrownBy(() -> Schedule.every(Duration.ofHours(25), PARIS)).hasMessageContaining("longer than a day");
    }

    @Test
    void intervalsNeitherSkipNorRepeatAcrossDaylightSavingChanges() {
        // Paris springs forward on 2026-03-29 at 02:00 (23-hour day): hourly runs are an hour apart throughout.
        List<Instant> spring = runs(Schedule.every(Duration.ofHours(1), PARIS), local("2026-03-28T22:30:00", PARIS), 8);
        for (int i = 1; i < spring.size(); i++) {
            assertThat(Duration.between(spring.get(i - 1), spring.get(i))).isEqualTo(Duration.ofHours(1));
        }
        // New York falls back on 2026-11-01 (25-hour day): 25 hourly runs from one midnight to the next, none twice.
        List<Instant> fall = runs(Schedule.every(Duration.ofHours(1), NEW_YORK), local("2026-10-31T23:59:00", NEW_YORK), 26);
        assertThat(fall).doesNotHaveDuplicates();
        assertThat(fall.get(0)).isEqualTo(local("2026-11-01T00:00:00", NEW_YORK));
        assertThat(fall.get(25)).isEqualTo(local("2026-11-02T00:00:00", NEW_YORK));
    }

    @Test
    void dailyRunsAtTheLocalTimeAcrossDaylightSavingChanges() {
        Schedule daily = Schedule.daily(LocalTime.of(2, 30), PARIS);
        // 02:30 does not exist on 2026-03-29 in Paris: it runs at 03:30 local, then 02:30 again.
        assertThat(runs(daily, local("2026-03-28T12:00:00", PARIS), 3)).containsExactly(
                local("2026-03-29T03:30:00", PARIS), local("2026-03-30T02:30:00", PARIS), local("2026-03-31T02:30:00", PARIS));
        // 01:30 happens twice on 2026-11-01 in New York: it runs once, at the first.
        Schedule nightly = Schedule.daily(LocalTime.of(1, 30), NEW_YORK);
        List<Instant> fall = runs(nightly, local("2026-10-31T12:00:00", NEW_YORK), 2);
        assertThat(fall.get(0)).isEqualTo(Instant.parse("2026-11-01T05:30:00Z")); // EDT, UTC-4
        assertThat(fall.get(1)).isEqualTo(Instant.parse("2026-11-02T06:30:00Z")); // EST, UTC-5
        // A daily 9:00 in New York is 13:00 UTC before the change and 14:00 UTC after.
        Schedule nine = Schedule.daily(LocalTime.of(9, 0), NEW_YORK);
        assertThat(nine.nextRunAfter(Instant.parse("2026-03-07T00:00:00Z"))).isEqualTo(Instant.parse("2026-03-07T14:00:00Z"));
        assertThat(nine.nextRunAfter(Instant.parse("2026-03-09T00:00:00Z"))).isEqualTo(Instant.parse("2026-03-09T13:00:00Z"));
    }

    @Test
    void weeklyAndMonthlyIncludingTheThirtyFirst() {
        Schedule weekly = Schedule.weekly(DayOfWeek.MONDAY, LocalTime.of(6, 0), PARIS);
        assertThat(weekly.nextRunAfter(local("2026-05-13T12:00:00", PARIS))).isEqualTo(local("2026-05-18T06:00:00", PARIS));
        assertThat(weekly.nextRunAfter(local("2026-05-18T05:59:00", PARIS))).isEqualTo(local("2026-05-18T06:00:00", PARIS));

        Schedule monthly = Schedule.monthly(31, LocalTime.of(23, 0), NEW_YORK);
        assertThat(runs(monthly, local("2026-01-31T23:00:00", NEW_YORK), 4)).containsExactly(
                local("2026-02-28T23:00:00", NEW_YORK), local("2026-03-31T23:00:00", NEW_YORK),
                local("2026-04-30T23:00:00", NEW_YORK), local("2026-05-31T23:00:00", NEW_YORK));
        assertThat(Schedule.monthly(29, LocalTime.NOON, PARIS).nextRunAfter(local("2028-02-01T00:00:00", PARIS)))
                .isEqualTo(local("2028-02-29T12:00:00", PARIS)); // leap year
        assertThatThrownBy(() -> Schedule.monthly(32, LocalTime.NOON, PARIS)).hasMessageContaining("1 to 31");
    }
}
