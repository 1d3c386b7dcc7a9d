package dev.berth.image.archive;

import dev.berth.oci.image.Compression;
import dev.berth.image.ContentStore;
import dev.berth.image.InvalidImageException;
import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image archive read in one streaming pass, in whatever order its entries come (docker writes
 * manifest.json last). Small metadata files are kept in memory; everything else goes straight
 * into the content store: {@code blobs/<alg>/<hex>} verified against its name, other files (legacy
 * {@code <id>/layer.tar}, skopeo's {@code <diffid>.tar}) under the digest they turn out to have.
 * Symbolic and hard links, which docker and skopeo use to share one layer file between names, are
 * followed within the archive. Nothing from the archive is written outside the content store, so a
 * path like {@code ../x} can do no harm; it is refused all the same.
 */
final class ArchiveContents {
    private static final long SMALL_FILE_MAX = 1 << 20;
    private static final Set<String> METADATA_NAMES = Set.of(DockerArchiveManifest.REPOSITORIES_FILE, "VERSION", "json",
            OciLayout.LAYOUT_FILE);
    private static final Pattern BLOB_PATH = Pattern.compile(OciLayout.BLOBS_DIR + "/(sha256|sha512)/([a-f0-9]+)");
    private static final int MAX_LINK_HOPS = 16;

    private final ContentStore content;
    private final Map<String, byte[]> small = new HashMap<>();
    private final Map<String, Digest> stored = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();

    private ArchiveContents(ContentStore content) {
        this.content = content;
    }

    /** Reads a tar (plain or compressed, as {@code docker load} accepts) to its end. */
    static ArchiveContents read(InputStream archive, ContentStore content) throws IOException {
        ArchiveContents c = new ArchiveContents(content);
        TarArchiveInputStream tar = new TarArchiveInputStream(Compression.decompressing(archive));
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
            String path = normalize(e.getName(), e.getName());
            if (path.isEmpty() || e.isDirectory()) {
                continue;
            }
            if (e.isSymbolicLink()) {
                String target = e.getLinkName().startsWith("/") ? e.getLinkName() : parent(path) + e.getLinkName();
                c.links.put(path, normalize(target, e.getName()));
            } else if (e.isLink()) {
                c.links.put(path, normalize(e.getLinkName(), e.getName())); // hard links name a path from the root
            } else if (e.isFile()) {
                c.ingest(path, e.getSize(), tar);
            }
            // Devices, fifos and the like have no place in an image archive; they are skipped.
        }
        return c;
    }

    private void ingest(String path, long size, InputStream in) throws IOException {
        var blob = BLOB_PATH.matcher(path);
        if (blob.matches()) {
            Digest named = new Digest(blob.group(1), blob.group(2));
            if (!content.has(named)) {
                try (ContentStore.BlobWriter w = content.begin(named, size)) {
                    in.transferTo(w);
                    w.commit(); // a blob that does not match its name fails here, and is not kept
                }
            }
            stored.put(path, named);
        } else if (size <= SMALL_FILE_MAX && isMetadata(path)) {
            small.put(path, in.readAllBytes());
        } else {
            stored.put(path, content.put(in));
        }
    }

    private static boolean isMetadata(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        return base.endsWith(".json") || METADATA_NAMES.contains(base);
    }

    boolean has(String path) {
        String p = follow(path);
        return p != null && (small.containsKey(p) || stored.containsKey(p));
    }

    /** The file's bytes (for metadata and configs). */
    byte[] bytes(String path) throws IOException {
        String p = require(path);
        byte[] b = small.get(p);
        return b != null ? b : content.read(stored.get(p));
    }

    /** The file's digest in the content store, storing it first if it was only held in memory. */
    Digest digest(String path) throws IOException {
        String p = require(path);
        Digest d = stored.get(p);
        if (d == null) {
            d = content.put(small.get(p));
            stored.put(p, d);
        }
        return d;
    }

    private String require(String path) {
        String p = follow(path);
        if (p == null || !(small.containsKey(p) || stored.containsKey(p))) {
            throw new InvalidImageException("the archive has no file \"" + path + "\"");
        }
        return p;
    }

    /** Follows links to a regular file's path; null if the path is not in the archive. */
    private String follow(String path) {
        String p;
        try {
            p = normalize(path, path);
        } catch (InvalidImageException e) {
            return null;
        }
        for (int hops = 0; links.containsKey(p); hops++) {
            if (hops == MAX_LINK_HOPS) {
                throw new InvalidImageException("too many links resolving \"" + path + "\" in the archive");
            }
            p = links.get(p);
        }
        return p;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash + 1);
    }

    /** "./a/../b/c" to "b/c"; a path that climbs out of the archive root is refused. */
    static String normalize(String path, String entry) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new InvalidImageException("archive entry \"" + entry + "\" points outside the archive");
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }
}
