package dev.berth.storage.diff;

/**
 * One line of {@code docker diff}: a path (absolute in the container, "/etc/passwd") and what
 * happened to it.
 */
public record Change(Kind kind, String path) implements Comparable<Change> {
    public enum Kind {
        ADDED('A'), CHANGED('C'), DELETED('D');

        private final char letter;

        Kind(char letter) {
            this.letter = letter;
        }

        public char letter() {
            return letter;
        }
    }

    @Override
    public int compareTo(Change o) {
        return path.compareTo(o.path);
    }

    /** "C /etc", as docker prints it. */
    @Override
    public String toString() {
        return kind.letter + " " + path;
    }
}
