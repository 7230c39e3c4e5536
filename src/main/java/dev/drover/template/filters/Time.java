package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;

/** strftime. */
final class Time {
    private Time() {
    }

    static void register(Filters fs) {
        fs.add("strftime", (v, a, kw) -> {
            Object second = arg(a, kw, 0, "second", null);
            boolean utc = toBool(arg(a, kw, 1, "utc", false));
            java.time.ZoneId zone = utc ? java.time.ZoneOffset.UTC : java.time.ZoneId.systemDefault();
            java.time.ZonedDateTime t = second == null ? java.time.ZonedDateTime.now(zone)
                    : java.time.Instant.ofEpochMilli((long) (((Number) toFloat(second, 0.0)).doubleValue() * 1000)).atZone(zone);
            return com.hubspot.jinjava.objects.date.StrftimeFormatter.format(t, Py.str(v));
        });
    }
}
