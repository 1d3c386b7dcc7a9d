package dev.berth.image.registry;

import java.util.List;

/**
 * A token scope (docker's token-scope.md): {@code repository:library/busybox:pull,push}.
 * Pulls ask for "pull"; pushes for "pull,push"; a cross-repository mount also for "pull" on the
 * source repository.
 */
public record Scope(String type, String name, List<String> actions) {
    public static Scope pull(Repository repo) {
        return new Scope("repository", repo.name(), List.of("pull"));
    }

    public static Scope push(Repository repo) {
        return new Scope("repository", repo.name(), List.of("pull", "push"));
    }

    @Override
    public String toString() {
        return type + ":" + name + ":" + String.join(",", actions);
    }
}
