package io.cdisync.core.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;

/**
 * When a sync runs, as Braze's scheduler offers: every 15 minutes up to once a month, in an IANA time
 * zone. cdi owns no scheduler loop: a host asks {@link #nextRunAfter(Instant)} and calls
 * {@code SyncRunner.run()} then. "Sync now" is simply a call to {@code run()}; it does not change the
 * schedule, which is stateless.
 *
 * <p>Wall-clock rules: a local time that does not exist on a spring-forward day runs at the first
 * valid instant after the gap (02:30 becomes 03:30); a local time that occurs twice on a fall-back day
 * runs once, at the first occurrence. A monthly day beyond the month's end (the 31st in April) runs on
 * the month's last day.
 */
public sealed interface Schedule permits Schedule.Every, Schedule.Daily, Schedule.Weekly, Schedule.Monthly {
    /** Braze's shortest interval. */
    Duration MINIMUM_INTERVAL = Duration.ofMinutes(15);

    /** The first run strictly after {@code after}. */
    Instant nextRunAfter(Instant after);

    /**
     * Every {@code interval}, aligned to local midnight in {@code zone} (every 15 minutes runs at :00, :15,
     * :30 and :45; every 6 hours at 00:00, 06:00, 12:00 and 18:00). At least 15 minutes, at most a day.
     */
    static Schedule every(Duration interval, ZoneId zone) {
        return new Every(interval, zone, false);
    }

    /** Like {@link #every(Duration, ZoneId)}, allowing intervals under 15 minutes (tests, special cases). */
    static Schedule everyAllowingShortIntervals(Duration interval, ZoneId zone) {
        return new Every(interval, zone, true);
    }

    /** Every day at {@code at}, local time in {@code zone}. */
    static Schedule daily(LocalTime at, ZoneId zone) {
        return new Daily(at, zone);
    }

    /** Every week on {@code day} at {@code at}, local time in {@code zone}. */
    static Schedule weekly(DayOfWeek day, LocalTime at, ZoneId zone) {
        return new Weekly(day, at, zone);
    }

    /** Every month on {@code dayOfMonth} (1-31; clamped to the month's last day) at {@code at}, local time. */
    static Schedule monthly(int dayOfMonth, LocalTime at, ZoneId zone) {
        return new Monthly(dayOfMonth, at, zone);
    }

    /** An interval schedule. */
    record Every(Duration interval, ZoneId zone, boolean allowShort) implements Schedule {
        public Every {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(zone, "zone");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive, was " + interval);
            }
            if (!allowShort && interval.compareTo(MINIMUM_INTERVAL) < 0) {
                throw new IllegalArgumentException("interval " + interval + " is shorter than Braze's minimum of 15 minutes;"
                        + " use everyAllowingShortIntervals to override");
            }
            if (interval.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("interval " + interval + " is longer than a day; use daily, weekly or monthly");
            }
        }

        @Override
        public Instant nextRunAfter(Instant after) {
            // Slots restart at each local midnight, in absolute time within the day, so a 23- or 25-hour
            // day neither skips nor repeats a slot.
            LocalDate day = after.atZone(zone).toLocalDate();
            for (int i = 0; i < 3; i++, day = day.plusDays(1)) {
                Instant midnight = day.atStartOfDay(zone).toInstant();
                Instant nextMidnight = day.plusDays(1).atStartOfDay(zone).toInstant();
                long intervalNanos = interval.toNanos();
                long elapsed = Math.max(0, Duration.between(midnight, after).toNanos());
                long slots = after.isBefore(midnight) ? 0 : elapsed / intervalNanos + 1;
                Instant candidate = midnight.plusNanos(slots * intervalNanos);
                if (candidate.isAfter(after) && candidate.isBefore(nextMidnight)) {
                    return candidate;
                }
            }
            throw new IllegalStateException("no run found after " + after);
        }
    }

    /** A daily schedule. */
    record Daily(LocalTime at, ZoneId zone) implements Schedule {
        public Daily {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(zone, "zone");
        }

        @Override
        public Instant nextRunAfter(Instant after) {
            LocalDate day = after.atZone(zone).toLocalDate();
            for (;; day = day.plusDays(1)) {
                Instant candidate = ZonedDateTime.of(day, at, zone).toInstant();
                if (candidate.isAfter(after)) {
                    return candidate;
                }
            }
        }
    }

    /** A weekly schedule. */
    record Weekly(DayOfWeek day, LocalTime at, ZoneId zone) implements Schedule {
        public Weekly {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(zone, "zone");
        }

        @Override
        public Instant nextRunAfter(Instant after) {
            LocalDate date = after.atZone(zone).toLocalDate().with(TemporalAdjusters.previousOrSame(day));
            for (;; date = date.plusWeeks(1)) {
                Instant candidate = ZonedDateTime.of(date, at, zone).toInstant();
                if (candidate.isAfter(after)) {
                    return candidate;
                }
            }
        }
    }

    /** A monthly schedule. */
    record Monthly(int dayOfMonth, LocalTime at, ZoneId zone) implements Schedule {
        public Monthly {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(zone, "zone");
            if (dayOfMonth < 1 || dayOfMonth > 31) {
                throw new IllegalArgumentException("dayOfMonth must be 1 to 31, was " + dayOfMonth);
            }
        }

        @Override
        public Instant nextRunAfter(Instant after) {
            LocalDate month = after.atZone(zone).toLocalDate().withDayOfMonth(1);
            for (;; month = month.plusMonths(1)) {
                LocalDate date = month.withDayOfMonth(Math.min(dayOfMonth, month.lengthOfMonth()));
                Instant candidate = ZonedDateTime.of(date, at, zone).toInstant();
                if (candidate.isAfter(after)) {
                    return candidate;
                }
            }
        }
    }
}
