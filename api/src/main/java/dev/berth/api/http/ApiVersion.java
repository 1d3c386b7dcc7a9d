package dev.berth.api.http;

/**
 * A Docker Engine API version such as {@code 1.47}, as it appears in a {@code /v1.47/...} path
 * prefix. Compared numerically, component by component (1.9 &lt; 1.10), as the Go client's
 * {@code versions.LessThan} does.
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
    public ApiVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("negative API version");
        }
    }

    /** Parses {@code "1.47"} or {@code "1"}; throws IllegalArgumentException otherwise. */
    public static ApiVersion parse(String text) {
        int dot = text.indexOf('.');
        try {
            if (dot < 0) {
                return new ApiVersion(Integer.parseInt(text), 0);
            }
            if (text.indexOf('.', dot + 1) >= 0) {
                throw new IllegalArgumentException("bad API version: " + text);
            }
            return new ApiVersion(Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad API version: " + text, e);
        }
    }

    public boolean lessThan(ApiVersion other) {
        return compareTo(other) < 0;
    }

    public boolean atLeast(ApiVersion other) {
        return compareTo(other) >= 0;
    }

    /** Shorthand for handlers: {@code version.atLeast("1.44")}. */
    public boolean atLeast(String other) {
        return atLeast(parse(other));
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
