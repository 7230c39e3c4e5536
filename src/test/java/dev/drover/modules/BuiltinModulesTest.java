package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.module.Param;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinModulesTest {

    @Test
    void findsShortAndQualifiedNames() {
        assertSame(BuiltinModules.find("copy").orElseThrow(), BuiltinModules.find("ansible.builtin.copy").orElseThrow());
        assertSame(BuiltinModules.find("copy").orElseThrow(), BuiltinModules.find("ansible.legacy.copy").orElseThrow());
        assertTrue(BuiltinModules.find("community.general.copy").isEmpty());
        assertTrue(BuiltinModules.find("nope").isEmpty());
    }

    @Test
    void everyModuleIsRegisteredUnderItsName() {
        for (String name : List.of("command", "shell", "file", "copy", "template", "lineinfile", "stat", "slurp",
                "user", "group", "debug", "set_fact", "assert", "fail", "ping", "wait_for", "uri", "systemd_service",
                "linger")) {
            assertEquals(name, BuiltinModules.all().get(name).spec().name());
        }
    }

    @Test
    void freeFormAndRawParameters() {
        assertEquals("_raw_params", BuiltinModules.find("command").orElseThrow().spec().freeForm());
        assertEquals("_raw_params", BuiltinModules.find("shell").orElseThrow().spec().freeForm());
        assertTrue(BuiltinModules.find("set_fact").orElseThrow().spec().acceptsAnyParam());
        Param that = BuiltinModules.find("assert").orElseThrow().spec().param("that").orElseThrow();
        assertTrue(!that.templated());
        Param var = BuiltinModules.find("debug").orElseThrow().spec().param("var").orElseThrow();
        assertTrue(!var.templated());
        assertEquals("path", BuiltinModules.find("lineinfile").orElseThrow().spec().param("destfile").orElseThrow().name());
    }
}
