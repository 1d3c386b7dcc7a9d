package dev.berth.engine.container;

import dev.berth.engine.image.ImageUsers;
import java.util.List;

/** {@link ImageUsers} from the engine's containers: every container (running, paused, stopped) made from an image. */
public final class ContainerImageUsers {
    private ContainerImageUsers() {}

    public static ImageUsers of(Containers containers) {
        return imageId -> {
            String id = imageId.toString();
            List<ContainerRecord> all = containers.list(true);
            return all.stream().filter(c -> id.equals(c.imageId()))
                    .map(c -> new ImageUsers.User(c.id(), c.status().equals("running") || c.status().equals("paused")))
                    .toList();
        };
    }
}
