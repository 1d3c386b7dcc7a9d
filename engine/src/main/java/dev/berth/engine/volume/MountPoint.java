package dev.berth.engine.volume;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One of a container's mounts as docker records it (its MountPoint): what inspect shows under
 * "Mounts", and what the engine needs to mount it and to know which volumes a container uses.
 *
 * @param type        bind, volume or tmpfs
 * @param name        the volume's name (volume only; null for an anonymous one not yet created)
 * @param source      the host path: a bind's source, a volume's _data once resolved
 * @param mode        the mode string as given in a -v spec ("ro", "z,nocopy"), "" otherwise
 * @param propagation rprivate and friends for binds, "" for volumes and tmpfs, as docker shows
 * @param copyData    whether a new, empty volume receives the image's content at the destination
 * @param anonymous   the volume was made for this container (removed with `rm -v`)
 * @param tmpfsOptions size= and mode= for a tmpfs mount
 * @param createSource a missing bind source is made (-v) rather than refused (--mount)
 * @param volumeLabels  labels for a named volume this mount creates (--mount volume-label=)
 * @param volumeOptions driver options for a named volume this mount creates (--mount volume-opt=)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MountPoint(String type, String name, String source, String destination, String driver, String mode,
                         boolean rw, String propagation, boolean copyData, boolean anonymous, String tmpfsOptions,
                         boolean createSource, Map<String, String> volumeLabels, Map<String, String> volumeOptions) {

    MountPoint withVolume(String name, String source) {
        return new MountPoint(type, name, source, destination, driver, mode, rw, propagation, copyData, anonymous,
                tmpfsOptions, createSource, volumeLabels, volumeOptions);
    }
}
