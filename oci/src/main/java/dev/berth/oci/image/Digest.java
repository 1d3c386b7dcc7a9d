package dev.berth.oci.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest "algorithm:encoded" (descriptor.md#digests). Only sha256 and sha512 are
 * accepted, with the spec's encodings (lower-case hex of the right length).
 */
public record Digest(String algorithm, String encoded) {
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        switch (algorithm) {
            case "sha256" -> require(SHA256.matcher(encoded).matches(), algorithm, encoded);
            case "sha512" -> require(SHA512.matcher(encoded).matches(), algorithm, encoded);
            default -> throw new IllegalArgumentException("unsupported digest algorithm \"" + algorithm + "\"");
        }
    }

    public static Digest parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("digest is missing");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("invalid digest \"" + text + "\": want algorithm:hex");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static Digest sha256(byte[] content) {
        try {
            return new Digest("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh MessageDigest for this digest's algorithm, to verify content as it streams. */
    public MessageDigest newHasher() {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void require(boolean ok, String algorithm, String encoded) {
        if (!ok) {
            throw new IllegalArgumentException("invalid " + algorithm + " digest \"" + encoded + "\"");
        }
    }

    @Override
    public String toString() {
        return algorithm + ":" + encoded;
    }
}
