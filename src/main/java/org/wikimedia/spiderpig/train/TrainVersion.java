package org.wikimedia.spiderpig.train;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A train branch name such as {@code 1.45.0-wmf.4}, ordered as the trains ran. */
public final class TrainVersion {

    public static final Pattern PATTERN = Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})-wmf\\.([0-9]{1,4})");

    /** Older trains first; names that are not train versions sort before all of them, by name. */
    public static final Comparator<String> ORDER = Comparator.comparing(TrainVersion::key);

    private TrainVersion() {
    }

    public static boolean isValid(String text) {
        return text != null && PATTERN.matcher(text).matches();
    }

    private static String key(String version) {
        Matcher m = PATTERN.matcher(version);
        if (!m.matches()) {
            return "0 " + version;
        }
        return String.format("1 %04d.%04d.%04d.%05d", Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
    }
}
