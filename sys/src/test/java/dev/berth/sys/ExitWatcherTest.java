package dev.berth.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExitWatcherTest {
    @Test
    void tellsWhenAProcessExitsAndForgetsIt() throws Exception {
        try (ExitWatcher watcher = new ExitWatcher("test-exits")) {
            Process sleeper = new ProcessBuilder("sleep", "0.3").start();
            CountDownLatch exited = new CountDownLatch(1);
            watcher.watch((int) sleeper.pid(), () -> true, exited::countDown);
            assertThat(watcher.size()).isEqualTo(1);
            assertThat(exited.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(watcher.size()).isZero();
        }
    }

    @Test
    void aLongRunningProcessIsNotReportedUntilItIsKilled() throws Exception {
        try (ExitWatcher watcher = new ExitWatcher("test-exits")) {
            Process sleeper = new ProcessBuilder("sleep", "60").start();
            CountDownLatch exited = new CountDownLatch(1);
            watcher.watch((int) sleeper.pid(), () -> true, exited::countDown);
            assertThat(exited.await(300, TimeUnit.MILLISECONDS)).isFalse();
            sleeper.destroy();
            assertThat(exited.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aProcessAlreadyGoneOrNotOursIsReportedAtOnce() throws Exception {
        try (ExitWatcher watcher = new ExitWatcher("test-exits")) {
            Process done = new ProcessBuilder("true").start();
            done.waitFor();
            CountDownLatch gone = new CountDownLatch(1);
            watcher.watch((int) done.pid(), () -> true, gone::countDown);
            assertThat(gone.await(5, TimeUnit.SECONDS)).isTrue();

            CountDownLatch reused = new CountDownLatch(1);
            watcher.watch((int) ProcessHandle.current().pid(), () -> false, reused::countDown);
            assertThat(reused.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(watcher.size()).isZero();
        }
    }
}
