package dev.berth.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.EngineException;
import dev.berth.storage.volume.LocalVolumes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The volume API's rules over a real local store: in-use conflicts, filters, prune, rm -v, restart. */
class VolumesTest {
    @TempDir
    Path data;
    Volumes volumes;
    ContainerMounts mounts;

    @BeforeEach
    void open() throws Exception {
        Files.createDirectories(data.resolve("containers"));
        volumes = new Volumes(new LocalVolumes(data.resolve("volumes")));
        mounts = new ContainerMounts(data.resolve("containers"), volumes);
    }

    private List<MountPoint> use(String containerId, String... binds) throws Exception {
        Files.createDirectories(data.resolve("containers").resolve(containerId));
        List<MountPoint> requested = new java.util.ArrayList<>();
        for (String b : binds) {
            requested.add(MountSpecs.bind(b));
        }
        return mounts.prepare(containerId, requested, null);
    }

    private static List<String> names(List<VolumeView> views) {
        return views.stream().map(VolumeView::name).toList();
    }

    private static VolumeFilters filter(String key, String... values) {
        return new VolumeFilters(Map.of(key, List.of(values)));
    }

    @Test
    void creationsAndRemovalsArePublishedAsVolumeEvents() throws Exception {
        dev.berth.engine.events.Events events = new dev.berth.engine.events.Events();
        Volumes v = new Volumes(new LocalVolumes(data.resolve("evolumes")), events);
        try (var sub = events.subscribe(0, e -> true)) {
            v.create("named", null, null, null);
            v.create("named", null, null, null); // exists: no second event, as dockerd
            v.remove("named", false);
            v.create("other", null, null, Map.of(Volumes.ANONYMOUS_LABEL, ""));
            v.prune(new VolumeFilters(Map.of()));
            List<String> seen = new java.util.ArrayList<>();
            for (var e = sub.next(0, java.util.concurrent.TimeUnit.SECONDS); e != null; e = sub.next(0, java.util.concurrent.TimeUnit.SECONDS)) {
                assertThat(e.type()).isEqualTo("volume");
                assertThat(e.attributes()).containsEntry("driver", "local");
                seen.add(e.action() + " " + e.actorId());
            }
            assertThat(seen).containsExactly("create named", "destroy named", "create other", "destroy other");
        }
    }

    @Test
    void aVolumeInUseIsAConflictUntilItsContainerIsGone() throws Exception {
        volumes.create("shared", null, null, null);
        use("c1", "/data");
        use("c2");
        use("c3", "shared:/x");
        assertThatThrownBy(() -> volumes.remove("shared", true)).isInstanceOf(EngineException.class)
                .hasMessage("remove shared: volume is in use - [c3]")
                .satisfies(e -> assertThat(((EngineException) e).status()).isEqualTo(409));
        mounts.release("c3", true);
        volumes.remove("shared", false);
        assertThatThrownBy(() -> volumes.inspect("shared")).hasMessage("get shared: no such volume");
        volumes.remove("shared", true); // force forgives a missing volume
    }

    @Test
    void listFiltersAreDockers() throws Exception {
        volumes.create("alpha", "local", Map.of(), Map.of("team", "a"));
        volumes.create("beta", null, null, Map.of("team", "b", "tier", "db"));
        Files.createDirectories(data.resolve("containers/c1"));
        mounts.prepare("c1", List.of(MountSpecs.bind("alpha:/a")), null);
        assertThat(names(volumes.list(VolumeFilters.none()))).containsExactly("alpha", "beta");
        assertThat(names(volumes.list(filter("dangling", "true")))).containsExactly("beta");
        assertThat(names(volumes.list(filter("dangling", "0")))).containsExactly("alpha");
        assertThat(names(volumes.list(filter("label", "team=b")))).containsExactly("beta");
        assertThat(names(volumes.list(filter("label", "tier")))).containsExactly("beta");
        assertThat(names(volumes.list(filter("name", "lph")))).containsExactly("alpha");
        assertThat(names(volumes.list(filter("driver", "other")))).isEmpty();
        assertThatThrownBy(() -> volumes.list(filter("color", "red"))).hasMessage("invalid filter 'color'");
        assertThatThrownBy(() -> volumes.list(filter("dangling", "maybe"))).hasMessage("invalid filter 'dangling=maybe'");
    }

    @Test
    void pruneTakesUnusedAnonymousVolumesByDefault() throws Exception {
        volumes.create("named", null, null, null);
        String anonymous = use("c1", "/scratch").getFirst().name();
        String stillUsed = use("c2", "/busy").getFirst().name();
        assertThat(volumes.inspect(anonymous).labels()).containsEntry(Volumes.ANONYMOUS_LABEL, "");
        mounts.release("c1", false); // docker rm without -v: the anonymous volume stays, unused
        Files.writeString(Path.of(volumes.inspect(anonymous).mountpoint()).resolve("f"), "x".repeat(10000));

        Volumes.Pruned pruned = volumes.prune(VolumeFilters.none());
        assertThat(pruned.deleted()).containsExactly(anonymous);
        assertThat(pruned.spaceReclaimed()).isGreaterThanOrEqualTo(10000);
        assertThat(names(volumes.list(VolumeFilters.none()))).contains("named", stillUsed);

        assertThat(volumes.prune(filter("label", "nothing")).deleted()).isEmpty();
        assertThat(volumes.prune(filter("all", "true")).deleted()).containsExactly("named");
        assertThatThrownBy(() -> volumes.prune(filter("dangling", "true"))).hasMessage("invalid filter 'dangling'");
    }

    @Test
    void rmVTakesAnonymousVolumesAndKeepsNamedOnes() throws Exception {
        List<MountPoint> points = use("c1", "/anon", "kept:/kept");
        assertThat(points).extracting(MountPoint::anonymous).containsExactly(true, false);
        assertThat(points.get(0).name()).matches("[0-9a-f]{64}");
        assertThat(points.get(0).source()).isEqualTo(data.resolve("volumes").resolve(points.get(0).name()).resolve("_data").toString());
        mounts.release("c1", true);
        assertThat(names(volumes.list(VolumeFilters.none()))).containsExactly("kept");
    }

    @Test
    void usersAreReadBackAtStart() throws Exception {
        volumes.create("durable", null, null, null);
        Files.createDirectories(data.resolve("containers/c1"));
        mounts.prepare("c1", List.of(MountSpecs.bind("durable:/d")), null);
        open(); // a new daemon over the same data root
        assertThat(mounts.of("c1")).extracting(MountPoint::name).containsExactly("durable");
        assertThatThrownBy(() -> volumes.remove("durable", false)).hasMessageContaining("volume is in use - [c1]");
    }

    @Test
    void driversOtherThanLocalAndUnknownOptionsAreRefused() {
        assertThatThrownBy(() -> volumes.create("x1", "nfs", null, null))
                .hasMessage("error looking up volume plugin nfs: plugin \"nfs\" not found");
        assertThatThrownBy(() -> volumes.create("x1", "local", Map.of("size", "1g"), null))
                .hasMessage("create x1: invalid option key: \"size\"");
        assertThatThrownBy(() -> volumes.create("x1", "local", Map.of("o", "size=1m"), null))
                .hasMessage("create x1: missing required option: \"type\"");
        assertThat(volumes.list(VolumeFilters.none())).isEmpty();
    }
}
