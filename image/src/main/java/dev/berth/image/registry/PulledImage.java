package dev.berth.image.registry;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Manifest;
import java.util.List;

/**
 * An image pulled into a content store: every blob named here (the manifest, an index it was
 * chosen from, the config and the layers) is in the store, verified.
 *
 * @param digest         what the reference resolved to: the index's digest when it named an
 *                       index (docker's "Digest:" line and RepoDigest), else the manifest's
 * @param manifestDigest the platform's image manifest
 */
public record PulledImage(Repository repository, String reference, Digest digest, Digest manifestDigest,
                          String manifestMediaType, byte[] manifestBytes, Manifest manifest,
                          Descriptor config, byte[] configBytes, List<Descriptor> layers) {}
