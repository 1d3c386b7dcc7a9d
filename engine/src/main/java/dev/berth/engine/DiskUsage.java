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
 * layers' content, and what of it they share with other images (a layer is shared when another
 * image has the same ChainID); LayersSize counts each layer once. Containers count their
 * read-write layer (SizeRw); volumes their data.
 */
public final class DiskUsage {
    /** {@code sharedSize}: the bytes of this image's layers that another image has too. */
    public record ImageUsage(ImageView image, long containers, long sharedSize) {}

    public record ContainerUsage(ContainerRecord container, long sizeRw) {}

    public record VolumeUsage(VolumeView volume, Volumes.Usage usage) {}

    public record Report(long layersSize, List<ImageUsage> images, List<ContainerUsage> containers, List<VolumeUsage> volumes) {}

    private DiskUsage() {}

    static Report of(Images images, Containers containers, Volumes volumes) {
        List<ContainerRecord> all = containers.list(true);
        Map<String, Long> perImage = all.stream().collect(Collectors.groupingBy(ContainerRecord::imageId, Collectors.counting()));
        List<ImageView> views = images.list();
        Map<String, Long> imagesPerLayer = views.stream().flatMap(i -> i.layers().stream().map(ImageView.Layer::chainId).distinct())
                .collect(Collectors.groupingBy(c -> c, Collectors.counting()));
        List<ImageUsage> imageUsage = views.stream().map(i -> new ImageUsage(i, perImage.getOrDefault(i.id(), 0L),
                i.layers().stream().filter(l -> imagesPerLayer.get(l.chainId()) > 1).mapToLong(ImageView.Layer::size).sum())).toList();
        long layers = views.stream().flatMap(i -> i.layers().stream())
                .collect(Collectors.toMap(ImageView.Layer::chainId, ImageView.Layer::size, (a, b) -> a))
                .values().stream().mapToLong(Long::longValue).sum();
        List<ContainerUsage> containerUsage = all.stream().map(c -> new ContainerUsage(c, containers.sizeRw(c.id()))).toList();
        List<VolumeUsage> volumeUsage = volumes.list(new VolumeFilters(Map.of())).stream()
                .map(v -> new VolumeUsage(v, volumes.usage(v.name()))).toList();
        return new Report(layers, imageUsage, containerUsage, volumeUsage);
    }
}
