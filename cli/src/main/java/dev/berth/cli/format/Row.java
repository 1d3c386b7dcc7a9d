package dev.berth.cli.format;

import java.util.Map;
import java.util.TreeMap;

/**
 * One row of a listing as docker's formatter holds it: a context whose JSON is json.Marshal's,
 * with {@code < > &} escaped, wherever it is printed ({@code {{json .}}}, or inside a bigger
 * value), while plain values go through the {@code json} function unescaped. Fields sorted, as
 * docker lists them.
 */
public final class Row extends TreeMap<String, Object> {
    public Row(Map<String, Object> fields) {
        super(fields);
    }
}
