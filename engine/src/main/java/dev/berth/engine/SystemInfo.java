package dev.berth.engine;

import java.util.List;

/** What /info reports about the engine and its host (the fields docker's `info` prints). */
public record SystemInfo(String id, int containers, int running, int paused, int stopped, int images,
                         String storageDriver, String dataRoot, String operatingSystem, String kernelVersion,
                         String architecture, int cpus, long memTotal, String hostname, String cgroupVersion,
                         boolean liveRestore, List<String> registryMirrors, List<String> insecureRegistries,
                         boolean debug) {}
