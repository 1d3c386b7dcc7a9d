package dev.berth.engine.volume;

import java.util.Map;

/** A volume as the API shows it (docker's Volume object, without UsageData). */
public record VolumeView(String name, String driver, String mountpoint, String createdAt, Map<String, String> labels,
                         Map<String, String> options, String scope) {}
