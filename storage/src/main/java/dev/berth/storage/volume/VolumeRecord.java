package dev.berth.storage.volume;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What the local driver keeps about a volume (volume.json beside its _data), written atomically.
 *
 * @param options the driver options it was created with (type, device, o), empty for a plain directory
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record VolumeRecord(String name, String createdAt, Map<String, String> labels, Map<String, String> options) {}
