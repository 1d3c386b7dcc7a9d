package dev.berth.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.EngineException;
import dev.berth.engine.model.HostConfig;
import dev.berth.oci.runtime.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** -v strings and --mount objects read as moby's linux parser reads them, with its messages. */
class MountSpecsTest {
    private static HostConfig host(String json) {
        return Json.parse(json, HostConfig.class);
    }

    @Test
    void anAbsoluteSourceIsABindAndAnythingElseAVolumeName() {
        MountPoint bind = MountSpecs.bind("/srv/data:/data:ro");
        assertThat(bind.type()).isEqualTo("bind");
        assertThat(bind.source()).isEqualTo("/srv/data");
        assertThat(bind.destination()).isEqualTo("/data");
        assertThat(bind.rw()).isFalse();
        assertThat(bind.mode()).isEqualTo("ro");
        assertThat(bind.propagation()).isEqualTo("rprivate");
        assertThat(bind.createSource()).isTrue();

        MountPoint named = MountSpecs.bind("cache:/var/cache/");
        assertThat(named.type()).isEqualTo("volume");
        assertThat(named.name()).isEqualTo("cache");
        assertThat(named.destination()).isEqualTo("/var/cache");
        assertThat(named.rw()).isTrue();
        assertThat(named.copyData()).isTrue();
        assertThat(named.anonymous()).isFalse();
        assertThat(named.propagation()).isEmpty();
        assertThat(named.mode()).isEqualTo("z"); // as docker inspect shows a -v volume without a mode

        MountPoint anonymous = MountSpecs.bind("/scratch");
        assertThat(anonymous.type()).isEqualTo("volume");
        assertThat(anonymous.name()).isNull();
        assertThat(anonymous.anonymous()).isTrue();
    }

    @Test
    void modesCombineOneOfEachKind() {
        MountPoint m = MountSpecs.bind("/a:/b:rshared,ro,z");
        assertThat(m.propagation()).isEqualTo("rshared");
        assertThat(m.rw()).isFalse();
        assertThat(m.mode()).isEqualTo("rshared,ro,z");
        assertThat(MountSpecs.bind("vol:/b:nocopy").copyData()).isFalse();
        assertThatThrownBy(() -> MountSpecs.bind("/a:/b:ro,rw")).hasMessage("invalid mode: ro,rw");
        assertThatThrownBy(() -> MountSpecs.bind("/a:/b:rx")).hasMessage("invalid mode: rx");
    }

    @Test
    void malformedSpecsAreDockersErrors() {
        assertThatThrownBy(() -> MountSpecs.bind("/data:rw")).hasMessage("invalid volume specification: '/data:rw'");
        assertThatThrownBy(() -> MountSpecs.bind("a:b:c:d")).hasMessage("invalid volume specification: 'a:b:c:d'");
        assertThatThrownBy(() -> MountSpecs.bind(":/x")).hasMessage("invalid volume specification: ':/x'");
        assertThatThrownBy(() -> MountSpecs.bind("/a:relative")).hasMessage("invalid volume specification: '/a:relative': "
                + "invalid mount config for type \"bind\": invalid mount path: 'relative' mount path must be absolute");
        assertThatThrownBy(() -> MountSpecs.bind("/a:/")).hasMessageEndingWith("invalid specification: destination can't be '/'");
        assertThatThrownBy(() -> MountSpecs.bind("bad name!:/x"))
                .hasMessageContaining("\"bad name!\" includes invalid characters for a local volume name");
        assertThatThrownBy(() -> MountSpecs.bind("v:/x")).hasMessageEndingWith("volume name is too short, names should be at least two alphanumeric characters");
    }

    @Test
    void mountObjectsFollowDockersValidation() {
        HostConfig h = host("""
                {"Mounts":[{"Type":"bind","Source":"/srv","Target":"/srv","ReadOnly":true,"BindOptions":{"Propagation":"rslave"}},
                           {"Type":"volume","Source":"vol","Target":"/v","VolumeOptions":{"NoCopy":true}},
                           {"Type":"tmpfs","Target":"/t","TmpfsOptions":{"SizeBytes":1048576,"Mode":448}}]}""");
        List<MountPoint> points = MountSpecs.of(h, List.of(), List.of());
        assertThat(points).extracting(MountPoint::type).containsExactly("bind", "volume", "tmpfs");
        assertThat(points.get(0).propagation()).isEqualTo("rslave");
        assertThat(points.get(0).createSource()).isFalse();
        assertThat(points.get(1).copyData()).isFalse();
        assertThat(points.get(2).tmpfsOptions()).isEqualTo("mode=700,size=1m");
        assertThatThrownBy(() -> MountSpecs.of(host("{\"Mounts\":[{\"Type\":\"tmpfs\",\"Source\":\"x\",\"Target\":\"/t\"}]}"), List.of(), List.of()))
                .hasMessage("invalid mount config for type \"tmpfs\": field Source must not be specified");
        assertThatThrownBy(() -> MountSpecs.of(host("{\"Mounts\":[{\"Type\":\"volume\",\"Target\":\"/t\",\"ReadOnly\":true}]}"), List.of(), List.of()))
                .hasMessage("invalid mount config for type \"volume\": must not set ReadOnly mode when using anonymous volumes");
        assertThatThrownBy(() -> MountSpecs.of(host("{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/a\",\"Target\":\"/t\",\"BindOptions\":{\"Propagation\":\"weird\"}}]}"), List.of(), List.of()))
                .hasMessage("invalid mount config for type \"bind\": invalid propagation mode: weird");
        assertThatThrownBy(() -> MountSpecs.of(host("{\"Mounts\":[{\"Type\":\"floppy\",\"Target\":\"/t\"}]}"), List.of(), List.of()))
                .hasMessage("invalid mount config for type \"floppy\": mount type unknown");
    }

    @Test
    void aDestinationTwiceIsADuplicateButImageVolumesGiveWay() {
        assertThatThrownBy(() -> MountSpecs.of(host("{\"Binds\":[\"/a:/x\"],\"Mounts\":[{\"Type\":\"tmpfs\",\"Target\":\"/x/\"}]}"),
                List.of(), List.of())).isInstanceOf(EngineException.class).hasMessage("Duplicate mount point: /x");
        List<MountPoint> points = MountSpecs.of(host("{\"Binds\":[\"named:/data\"]}"), List.of("/cfg"), List.of("/data", "/logs"));
        assertThat(points).extracting(MountPoint::destination).containsExactly("/data", "/cfg", "/logs");
        assertThat(points.get(0).name()).isEqualTo("named");
        assertThat(points.get(1).anonymous()).isTrue();
        assertThat(points.get(2).anonymous()).isTrue();
    }
}
