package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The podman modules answer to containers.podman's qualified names and to their short names. */
class PodmanNamesTest {
    @Test
    void qualifiedAndShortNames() {
        for (String name : new String[] {"podman_image", "podman_secret"}) {
            assertSame(BuiltinModules.find(name).orElseThrow(),
                    BuiltinModules.find("containers.podman." + name).orElseThrow());
            assertEquals(name, BuiltinModules.find(name).orElseThrow().spec().name());
        }
        assertTrue(BuiltinModules.find("containers.podman.copy").isEmpty());
        assertEquals("build", BuiltinModules.find("podman_image").orElseThrow().spec().param("build_args")
                .orElseThrow().name(), "build_args is containers.podman's alias of build");
    }
}
