package dev.berth.storage;

/**
 * A layer entry that would be written outside the directory it is unpacked into: a name with
 * "..", a path through a symlink that leads out, or a hard link to something outside. The entry
 * is refused before anything is created for it (CVE-2018-15664 and CVE-2019-14271 are what
 * happens otherwise).
 */
public final class UnsafeEntryException extends InvalidLayerException {
    private final String entry;

    public UnsafeEntryException(String entry, String why) {
        super("layer entry \"" + entry + "\" refused: " + why);
        this.entry = entry;
    }

    public UnsafeEntryException(String entry, String why, Throwable cause) {
        super("layer entry \"" + entry + "\" refused: " + why, cause);
        this.entry = entry;
    }

    /** The entry's name as the archive gave it. */
    public String entry() {
        return entry;
    }
}
