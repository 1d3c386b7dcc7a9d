package dev.berth.image.registry;

import java.net.URI;

/**
 * The answer to a cross-repository mount: mounted (201), or not, in which case the registry has
 * opened an ordinary upload session at {@code uploadLocation} (202) for us to use instead.
 */
public record MountResult(boolean mounted, URI uploadLocation) {}
