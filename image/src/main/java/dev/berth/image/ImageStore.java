package dev.berth.image;

import dev.berth.oci.image.ChainIds;
import dev.berth.sys.AtomicFile;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Images by ID (the config digest, as docker: image-spec config.md#imageid), the manifests that
 * carry them, their layer chains, and the names that point to them.
 *
 * <p>On disk, under {@code root}: {@code images/sha256/<hex>.json} per image ({@link ImageRecord})
 * and {@code repositories.json} for names ({@link RepositoryIndex}), each written atomically. The
 * config and manifest blobs live in the {@link ContentStore}, which {@link #put} fills, so a new
 * ImageStore over the same directories sees the same images. Writes go image record first, names
 * second, and removal the other way round, so a crash leaves at worst an untagged image, never a
 * name pointing at nothing (and dangling names are dropped when the store opens).
 *
 * <p>One process owns a root. All methods are synchronized: image operations are few and short,
 * and the blob transfers they follow happen outside.
 */
public final class ImageStore {
    private static final System.Logger LOG = System.getLogger(ImageStore.class.getName());
    private static final Pattern HEX_64 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern HEX_PREFIX = Pattern.compile("[a-f0-9]{1,64}");

    private final Path imagesDir;
    private final ContentStore content;
    private final Map<Digest, Stored> images = new HashMap<>();
    private final RepositoryIndex refs;

    /** What is kept in memory per image; names are joined in when an {@link Image} is handed out. */
    private record Stored(Digest id, ImageConfig config, List<ImageManifest> manifests, List<Digest> diffIds,
                          List<Digest> chainIds, Platform platform, Instant added) {

        Set<Digest> blobs() {
            Set<Digest> out = new LinkedHashSet<>();
            out.add(id);
            for (ImageManifest m : manifests) {
                out.add(m.digest());
                m.indexDigest().ifPresent(out::add);
                m.layers().forEach(l -> out.add(l.parsedDigest()));
            }
            return out;
        }

        ImageRecord toRecord() {
            return new ImageRecord(id.toString(), manifests.stream()
                    .map(m -> new ImageRecord.ManifestRef(m.descriptor(), m.index() == null ? null : m.index().toString()))
                    .toList(), platform, added.toString());
        }
    }

    public ImageStore(Path root, ContentStore content) throws IOException {
        this.content = content;
        this.imagesDir = root.resolve("images").resolve("sha256");
        Files.createDirectories(imagesDir);
        loadImages();
        this.refs = new RepositoryIndex(root.resolve("repositories.json"));
        if (refs.retainImages(images::containsKey)) {
            refs.save();
        }
    }

    public ContentStore content() {
        return content;
    }

    // ---- adding images ------------------------------------------------------------------------

    /** {@link #put(byte[], byte[], Platform, Digest)} for a manifest that was not chosen from an index. */
    public Image put(byte[] manifest, byte[] config, Platform platform) throws IOException {
        return put(manifest, config, platform, null);
    }

    /**
     * Records an image from its (already platform-resolved) manifest and config. The manifest and
     * config are written to the content store; every layer blob must already be there. Putting an
     * image that exists adds the manifest to it (same config, another encoding of the layers) and
     * is otherwise a no-op.
     *
     * @param platform the platform it was selected for; null to take it from the config
     * @param index    the digest of the index (or manifest list) it was selected from, if any; that
     *                 blob must be in the content store too
     * @throws InvalidImageException  if the manifest or config is malformed or they disagree
     * @throws BlobNotFoundException if a layer or the index blob is missing
     */
    public synchronized Image put(byte[] manifest, byte[] config, Platform platform, Digest index) throws IOException {
        Manifest m = parseManifest(manifest);
        String mediaType = m.mediaType() != null ? m.mediaType() : MediaTypes.OCI_MANIFEST;
        if (MediaTypes.isIndex(mediaType)) {
            throw new InvalidImageException("expected an image manifest, got an index (" + mediaType
                    + "): choose a platform's manifest from it first");
        }
        if (!MediaTypes.isManifest(mediaType)) {
            throw new InvalidImageException("unknown manifest media type \"" + mediaType + "\"");
        }
        if (m.schemaVersion() != 2) {
            throw new InvalidImageException("manifest schemaVersion " + m.schemaVersion() + " is not supported (want 2)");
        }
        if (m.config() == null) {
            throw new InvalidImageException("manifest has no config descriptor");
        }
        Digest id = Digest.sha256(config);
        Digest named = digestField(m.config().digest(), "manifest config.digest");
        if (!named.equals(id)) {
            throw new InvalidImageException("manifest names config " + named + " but the config given has digest " + id);
        }
        if (m.config().size() != config.length) {
            throw new InvalidImageException("manifest gives config size " + m.config().size() + " but the config has "
                    + config.length + " bytes");
        }
        ImageConfig cfg = parseConfig(config);
        List<Digest> diffIds = diffIdsOf(cfg);
        List<Descriptor> layers = m.layers() == null ? List.of() : m.layers();
        if (layers.size() != diffIds.size()) {
            throw new InvalidImageException("manifest lists " + layers.size() + " layers but the config's rootfs.diff_ids has "
                    + diffIds.size());
        }
        for (int i = 0; i < layers.size(); i++) {
            Descriptor layer = layers.get(i);
            if (MediaTypes.layerCompression(layer.mediaType()) == null) {
                throw new InvalidImageException("layers[" + i + "] has unknown media type \"" + layer.mediaType() + "\"");
            }
            Digest digest = digestField(layer.digest(), "layers[" + i + "].digest");
            if (!content.has(digest)) {
                throw new BlobNotFoundException(digest);
            }
        }
        if (index != null && !content.has(index)) {
            throw new BlobNotFoundException(index);
        }
        Platform resolved = platform != null ? platform : platformOf(cfg);
        content.put(config);
        Digest manifestDigest = content.put(manifest);
        ImageManifest carried = new ImageManifest(
                new Descriptor(mediaType, manifestDigest.toString(), manifest.length, null, null, resolved, null, null),
                layers, index);

        Stored existing = images.get(id);
        Stored next;
        if (existing == null) {
            next = new Stored(id, cfg, List.of(carried), diffIds, ChainIds.of(diffIds), resolved, Instant.now());
        } else if (existing.manifests().stream().anyMatch(x -> x.digest().equals(manifestDigest))) {
            if (index == null || existing.manifests().stream().anyMatch(x -> index.equals(x.index()))) {
                return image(existing);
            }
            // Known manifest, now also reached through an index: remember the index (so it stays referenced).
            List<ImageManifest> all = existing.manifests().stream()
                    .map(x -> x.digest().equals(manifestDigest) && x.index() == null
                            ? new ImageManifest(x.descriptor(), x.layers(), index) : x)
                    .toList();
            next = new Stored(id, existing.config(), all, existing.diffIds(), existing.chainIds(), existing.platform(),
                    existing.added());
        } else {
            List<ImageManifest> all = new ArrayList<>(existing.manifests());
            all.add(carried);
            next = new Stored(id, existing.config(), all, existing.diffIds(), existing.chainIds(), existing.platform(),
                    existing.added());
        }
        AtomicFile.write(recordPath(id), ImageJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(next.toRecord()));
        images.put(id, next);
        return image(next);
    }

    // ---- names --------------------------------------------------------------------------------

    /**
     * Points a tag at an image ({@code docker tag}); a bare name gets "latest". A tag that pointed
     * elsewhere moves, as docker moves it.
     *
     * @return the image the tag pointed at before, if it was another one
     */
    public synchronized Optional<Digest> tag(ImageReference ref, Digest imageId) throws IOException {
        if (ref.digest().isPresent()) {
            // docker's reference store: a tag is mutable, a digest reference is not; keep them apart.
            throw new InvalidImageException("refusing to create a tag with a digest reference: " + ref.familiar());
        }
        requireImage(imageId);
        ImageReference tagged = ref.withDefaultTag();
        Digest previous = refs.put(tagged, imageId);
        refs.save();
        return previous == null || previous.equals(imageId) ? Optional.empty() : Optional.of(previous);
    }

    /** Records {@code name@digest} as a reference to an image (what it was pulled or pushed as). */
    public synchronized void addRepoDigest(ImageReference ref, Digest imageId) throws IOException {
        if (ref.digest().isEmpty() || ref.tag().isPresent()) {
            throw new InvalidImageException("a repository digest must be name@digest without a tag, got " + ref.familiar());
        }
        requireImage(imageId);
        refs.put(ref, imageId);
        refs.save();
    }

    /**
     * Removes a name ({@code name:tag}, a bare name meaning ":latest", or {@code name@digest}).
     *
     * @return the image it pointed at
     * @throws ImageNotFoundException if no such name is recorded
     */
    public synchronized Digest untag(ImageReference ref) throws IOException {
        ImageReference key = ref.dockerRef();
        Digest id = refs.remove(key);
        if (id == null) {
            throw new ImageNotFoundException(key.familiar());
        }
        refs.save();
        return id;
    }

    // ---- lookups ------------------------------------------------------------------------------

    /**
     * Finds an image as docker's daemon does (daemon/images GetImage): a full ID ("sha256:&lt;64 hex&gt;"
     * or the 64 hex digits alone) by ID only; otherwise a name ("busybox" meaning busybox:latest,
     * "name@digest" by its recorded repository digest), then an unambiguous ID prefix, with or
     * without "sha256:".
     *
     * @throws ImageNotFoundException with docker's message, "No such image: busybox:latest"
     * @throws InvalidImageException  if the text is neither an ID nor a well-formed reference
     */
    public synchronized Image resolve(String refOrId) {
        return find(refOrId).orElseThrow(() -> new ImageNotFoundException(displayName(refOrId)));
    }

    /** {@link #resolve} without the exception for "not found". */
    public synchronized Optional<Image> find(String refOrId) {
        return findStored(refOrId).map(this::image);
    }

    public synchronized Optional<Image> get(Digest id) {
        return Optional.ofNullable(images.get(id)).map(this::image);
    }

    /** Every image, newest first (by the config's created time, then by when it was added). */
    public synchronized List<Image> list() {
        return images.values().stream()
                .sorted(Comparator.comparing((Stored s) -> createdOrAdded(s)).reversed()
                        .thenComparing(s -> s.id().toString()))
                .map(this::image)
                .toList();
    }

    /**
     * The image a name points to, by the name alone (docker's reference store Get): "busybox" means
     * busybox:latest, and a reference with both tag and digest is looked up by its digest.
     */
    public synchronized Optional<Digest> lookup(ImageReference ref) {
        return Optional.ofNullable(refs.get(ref.dockerRef())).filter(images::containsKey);
    }

    /** Every name recorded (tags and repository digests), sorted. */
    public synchronized List<ImageReference> references() {
        return refs.all();
    }

    private Optional<Stored> findStored(String refOrId) {
        if (refOrId == null || refOrId.isEmpty()) {
            return Optional.empty();
        }
        if (HEX_64.matcher(refOrId).matches()) {
            return Optional.ofNullable(images.get(new Digest("sha256", refOrId)));
        }
        Digest asDigest = tryDigest(refOrId);
        if (asDigest != null) {
            return Optional.ofNullable(images.get(asDigest));
        }
        ImageReference named;
        try {
            named = ImageReference.parseNormalizedNamed(refOrId);
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException(e.getMessage(), e);
        }
        Digest byName = refs.get(named.dockerRef());
        if (byName != null && images.containsKey(byName)) {
            return Optional.of(images.get(byName));
        }
        return byIdPrefix(refOrId);
    }

    /** docker's digestset lookup: the one image whose ID starts with the given hex digits. */
    private Optional<Stored> byIdPrefix(String text) {
        String hex = text.startsWith("sha256:") ? text.substring("sha256:".length()) : text;
        if (!HEX_PREFIX.matcher(hex).matches()) {
            return Optional.empty();
        }
        Stored found = null;
        for (Stored s : images.values()) {
            if (s.id().algorithm().equals("sha256") && s.id().encoded().startsWith(hex)) {
                if (found != null) {
                    return Optional.empty(); // ambiguous: docker answers "No such image" too
                }
                found = s;
            }
        }
        return Optional.ofNullable(found);
    }

    // ---- removal ------------------------------------------------------------------------------

    /** {@link #remove(String, boolean)} by image ID. */
    public RemoveResult remove(Digest imageId, boolean force) throws IOException {
        return remove(imageId.toString(), force);
    }

    /**
     * {@code docker rmi}, following docker's daemon (daemon/images/image_delete.go):
     * <ul>
     * <li>by name: untag that name (and, when no tag of that repository is left, its repository
     *     digests); the image goes only when no name is left;</li>
     * <li>by ID or ID prefix: untag every name and delete the image, unless the names span more
     *     than one repository and {@code force} is false, which is a conflict.</li>
     * </ul>
     * Blobs and layer chains that no remaining image uses are reported, not deleted: the caller
     * first releases snapshots, then calls {@link #prune} (a pull in flight may be about to reuse
     * a blob, which prune's grace period protects).
     */
    public synchronized RemoveResult remove(String refOrId, boolean force) throws IOException {
        Stored image = findStored(refOrId).orElseThrow(() -> new ImageNotFoundException(displayName(refOrId)));
        List<String> untagged = new ArrayList<>();
        List<ImageReference> names = refs.referencesTo(image.id());
        if (!isIdPrefix(image.id(), refOrId)) {
            ImageReference named = ImageReference.parseNormalizedNamed(refOrId).dockerRef();
            refs.remove(named);
            untagged.add(named.familiar());
            names = refs.referencesTo(image.id());
            boolean tagOfSameRepoLeft = names.stream()
                    .anyMatch(r -> r.digest().isEmpty() && r.name().equals(named.name()));
            if (named.digest().isEmpty() && !tagOfSameRepoLeft) {
                // docker: untagging the last tag of a repository also drops that repository's digests.
                for (ImageReference r : names) {
                    if (r.digest().isPresent() && r.name().equals(named.name())) {
                        refs.remove(r);
                        untagged.add(r.familiar());
                    }
                }
                names = refs.referencesTo(image.id());
            }
            if (!names.isEmpty()) {
                refs.save();
                return new RemoveResult(untagged, Optional.empty(), Set.of(), Set.of());
            }
        } else {
            if (!force && names.size() > 1 && names.stream().map(ImageReference::name).distinct().count() > 1) {
                throw new ImageConflictException("conflict: unable to delete " + image.id().encoded().substring(0, 12)
                        + " (must be forced) - image is referenced in multiple repositories");
            }
            for (ImageReference r : names) {
                refs.remove(r);
                untagged.add(r.familiar());
            }
        }
        refs.save();
        images.remove(image.id());
        AtomicFile.delete(recordPath(image.id()));

        Set<Digest> stillUsedBlobs = referencedBlobs();
        Set<Digest> freedBlobs = new LinkedHashSet<>(image.blobs());
        freedBlobs.removeAll(stillUsedBlobs);
        Set<Digest> freedChains = new LinkedHashSet<>(image.chainIds());
        freedChains.removeAll(referencedChainIds());
        return new RemoveResult(untagged, Optional.of(image.id()), freedBlobs, freedChains);
    }

    /** docker's isImageIDPrefix: the text is the ID or a prefix of it, with or without "sha256:". */
    private static boolean isIdPrefix(Digest id, String text) {
        return id.toString().startsWith(text) || id.encoded().startsWith(text);
    }

    /** Every blob some image uses: manifests, indexes, configs, layers. */
    public synchronized Set<Digest> referencedBlobs() {
        Set<Digest> out = new HashSet<>();
        images.values().forEach(s -> out.addAll(s.blobs()));
        return out;
    }

    /** Every layer chain some image uses: the snapshots that must stay. */
    public synchronized Set<Digest> referencedChainIds() {
        Set<Digest> out = new HashSet<>();
        images.values().forEach(s -> out.addAll(s.chainIds()));
        return out;
    }

    /**
     * Deletes blobs that no image references and that are older than {@code minAge}. The age guard
     * is for pulls and loads in flight: their layers are in the store before the image that
     * references them is put. {@link Duration#ZERO} removes every unreferenced blob.
     */
    public synchronized PruneResult prune(Duration minAge) throws IOException {
        Set<Digest> used = referencedBlobs();
        Instant cutoff = Instant.now().minus(minAge);
        List<Digest> deleted = new ArrayList<>();
        long freed = 0;
        for (Digest d : content.list()) {
            if (used.contains(d)) {
                continue;
            }
            Path p = content.path(d);
            if (!minAge.isZero() && Files.getLastModifiedTime(p).toInstant().isAfter(cutoff)) {
                continue;
            }
            long size = content.size(d);
            content.delete(d);
            deleted.add(d);
            freed += size;
        }
        return new PruneResult(deleted, freed);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Image image(Stored s) {
        List<ImageReference> tags = new ArrayList<>();
        List<ImageReference> digests = new ArrayList<>();
        for (ImageReference r : refs.referencesTo(s.id())) {
            (r.digest().isPresent() ? digests : tags).add(r);
        }
        return new Image(s.id(), s.config(), s.manifests(), s.diffIds(), s.chainIds(), tags, digests, s.platform(), s.added());
    }

    private void requireImage(Digest id) {
        if (!images.containsKey(id)) {
            throw new ImageNotFoundException(id.toString());
        }
    }

    private Path recordPath(Digest id) {
        if (!id.algorithm().equals("sha256")) {
            throw new InvalidImageException("image IDs are sha256 digests, got " + id);
        }
        return imagesDir.resolve(id.encoded() + ".json");
    }

    private static Instant createdOrAdded(Stored s) {
        if (s.config().created() != null) {
            try {
                return Instant.parse(s.config().created());
            } catch (RuntimeException e) {
                // fall through to the time it was added
            }
        }
        return s.added();
    }

    /** How docker names what was not found: a name gets its default tag, in familiar form. */
    private static String displayName(String refOrId) {
        if (HEX_64.matcher(refOrId).matches()) {
            return "sha256:" + refOrId;
        }
        if (tryDigest(refOrId) != null) {
            return refOrId;
        }
        try {
            return ImageReference.parseNormalizedNamed(refOrId).withDefaultTag().familiar();
        } catch (IllegalArgumentException e) {
            return refOrId;
        }
    }

    private static Digest tryDigest(String text) {
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Digest digestField(String text, String field) {
        return ImageDocuments.digest(text, field);
    }

    private static Manifest parseManifest(byte[] bytes) {
        return ImageDocuments.manifest(bytes);
    }

    private static ImageConfig parseConfig(byte[] bytes) {
        return ImageDocuments.config(bytes);
    }

    private static List<Digest> diffIdsOf(ImageConfig config) {
        return ImageDocuments.diffIds(config);
    }

    static Platform platformOf(ImageConfig config) {
        return new Platform(config.architecture(), config.os(), config.osVersion(), null, config.variant());
    }

    private void loadImages() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(imagesDir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(AtomicFile.TEMP_SUFFIX)) {
                    Files.deleteIfExists(f); // a write that a crash interrupted
                    continue;
                }
                if (!name.endsWith(".json")) {
                    continue;
                }
                try {
                    Stored s = restore(ImageJson.MAPPER.readValue(f.toFile(), ImageRecord.class));
                    images.put(s.id(), s);
                } catch (IOException | RuntimeException e) {
                    // One damaged image must not keep the daemon from starting; it stays on disk
                    // for inspection and is simply not listed.
                    LOG.log(System.Logger.Level.WARNING, "skipping image record " + f + ": " + e.getMessage());
                }
            }
        }
    }

    private Stored restore(ImageRecord r) throws IOException {
        Digest id = Digest.parse(r.id());
        ImageConfig config = parseConfig(content.read(id));
        List<ImageManifest> manifests = new ArrayList<>();
        for (ImageRecord.ManifestRef ref : r.manifests()) {
            Manifest m = parseManifest(content.read(ref.manifest().parsedDigest()));
            manifests.add(new ImageManifest(ref.manifest(), m.layers() == null ? List.of() : m.layers(),
                    ref.index() == null ? null : Digest.parse(ref.index())));
        }
        if (manifests.isEmpty()) {
            throw new InvalidImageException("image " + id + " has no manifest");
        }
        List<Digest> diffIds = diffIdsOf(config);
        return new Stored(id, config, manifests, diffIds, ChainIds.of(diffIds), r.platform(), Instant.parse(r.added()));
    }
}
