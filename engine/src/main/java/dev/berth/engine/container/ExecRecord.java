package dev.berth.engine.container;

import dev.berth.engine.model.ExecConfig;

/**
 * What GET /exec/{id}/json shows of an exec: its configuration, whether it runs, its pid and,
 * once it has ended, its exit code (null before).
 */
public record ExecRecord(String id, String containerId, ExecConfig config, boolean running, Integer exitCode, int pid) {}
