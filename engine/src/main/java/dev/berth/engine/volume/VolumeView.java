package dev.berth.engine.volume;

import java.util.Map;

/** A volume as the API shows it (docker's Volume object); {@code size} is -1 unless measured. */
public record VolumeView(String name, String driver, String mountpoint, String createdAt, Map<String, String> labels,
                         Map<String, String> options, String scope) {}
