package io.cdisync.core.ops.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.core.schedule.Schedule;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;

/** {@link Schedule}s as JSON: {@code {"kind": "every" | "daily" | "weekly" | "monthly", ...}}. */
final class ScheduleJson {
    private ScheduleJson() {
    }

    static ObjectNode write(Schedule schedule) {
        ObjectNode node = OpsJson.JSON.createObjectNode();
        if (schedule instanceof Schedule.Every every) {
            node.put("kind", "every").put("interval", every.interval().toString()).put("zone", every.zone().getId())
                    .put("allowShort", every.allowShort());
        } else if (schedule instanceof Schedule.Daily daily) {
            node.put("kind", "daily").put("at", daily.at().toString()).put("zone", daily.zone().getId());
        } else if (schedule instanceof Schedule.Weekly weekly) {
            node.put("kind", "weekly").put("day", weekly.day().name()).put("at", weekly.at().toString())
                    .put("zone", weekly.zone().getId());
        } else if (schedule instanceof Schedule.Monthly monthly) {
            node.put("kind", "monthly").put("dayOfMonth", monthly.dayOfMonth()).put("at", monthly.at().toString())
                    .put("zone", monthly.zone().getId());
        }
        return node;
    }

    static Schedule read(JsonNode node) {
        ZoneId zone = ZoneId.of(node.path("zone").asText());
        String kind = node.path("kind").asText();
        return switch (kind) {
            case "every" -> new Schedule.Every(Duration.parse(node.path("interval").asText()), zone, node.path("allowShort").asBoolean());
            case "daily" -> Schedule.daily(LocalTime.parse(node.path("at").asText()), zone);
            case "weekly" -> Schedule.weekly(DayOfWeek.valueOf(node.path("day").asText()), LocalTime.parse(node.path("at").asText()), zone);
            case "monthly" -> Schedule.monthly(node.path("dayOfMonth").asInt(), LocalTime.parse(node.path("at").asText()), zone);
            default -> throw new IllegalArgumentException("unknown schedule kind '" + kind + "'");
        };
    }
}
