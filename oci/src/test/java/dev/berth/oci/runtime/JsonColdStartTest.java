package dev.berth.oci.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The point of the binder: a fresh JVM that binds records never builds databind's mapper nor
 * its bean (de)serializers. Checked in a child JVM with -verbose:class, since this one has
 * loaded them for other tests.
 */
class JsonColdStartTest {
    @Test
    void bindingRecordsLoadsNoDatabindMachinery() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-verbose:class", "-cp", System.getProperty("java.class.path"),
                ColdStart.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        List<String> databind = out.lines().filter(l -> l.contains("com.fasterxml.jackson.databind.")).toList();
        assertThat(databind).as("databind classes loaded").isEmpty();
        System.out.println(out.lines().filter(l -> l.startsWith("cold:")).findFirst().orElse(""));
    }
}
