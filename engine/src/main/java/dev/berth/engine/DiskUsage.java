package dev.berth.engine;

import dev.berth.engine.container.ContainerRecord;
import dev.berth.engine.container.Containers;
import dev.berth.engine.image.ImageView;
import dev.berth.engine.image.Images;
import dev.berth.engine.volume.VolumeFilters;
import dev.berth.engine.volume.VolumeView;
import dev.berth.engine.volume.Volumes;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * docker system df: what images, containers and volumes take on disk. Images count their
 * layers' content; containers their read-write layer (SizeRw); volumes their data.
 */
public final class DiskUsage {
    public record ImageUsage(ImageView image, long containers) {}

    public record ContainerUsage(ContainerRecord container, long sizeRw) {}

    public record VolumeUsage(VolumeView volume, Volumes.Usage usage) {}

    public record Report(long layersSize, List<ImageUsage> images, List<ContainerUsage> containers, List<VolumeUsage> volumes) {}

    private DiskUsage() {}

    static Report of(Images images, Containers containers, Volumes volumes) {
        List<ContainerRecord> all = containers.list(true);
        Map<String, Long> perImage = all.stream().collect(Collectors.groupingBy(ContainerRecord::imageId, Collectors.counting()));
        List<ImageUsage> imageUsage = images.list().stream()
                .map(i -> new ImageUsage(i, perImage.getOrDefault(i.id(), 0L))).toList();
        long layers = images.list().stream().collect(Collectors.toMap(ImageView::id, ImageView::size, (a, b) -> a))
                .values().stream().mapToLong(Long::longValue).sum();
        List<ContainerUsage> containerUsage = all.stream().map(c -> new ContainerUsage(c, containers.sizeRw(c.id()))).toList();
        List<VolumeUsage> volumeUsage = volumes.list(new VolumeFilters(Map.of())).stream()
                .map(v -> new VolumeUsage(v, volumes.usage(v.name()))).toList();
        return new Report(layers, imageUsage, containerUsage, volumeUsage);
    }


}
