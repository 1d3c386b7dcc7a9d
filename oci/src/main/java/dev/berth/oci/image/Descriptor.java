package dev.berth.oci.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** descriptor.md: what a piece of content is, how big, and its digest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Descriptor(String mediaType, String digest, long size, List<String> urls,
                         Map<String, String> annotations, Platform platform, String artifactType, String data) {

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest.toString(), size, null, null, null, null, null);
    }

    public Digest parsedDigest() {
        return Digest.parse(digest);
    }
}
