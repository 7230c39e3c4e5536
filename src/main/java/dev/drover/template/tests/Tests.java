package dev.drover.template.tests;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every test ({@code x is name(args)}) drover's templates know (besides jinjava's own), by name.
 * One family per file in this folder, as Ansible's and Jinja2's test plugins; add a new one here.
 */
public final class Tests {
    /** A test: the value left of {@code is} and the test's arguments. */
    public interface Fn {
        boolean test(Object value, Object[] args);
    }

    private final Map<String, Fn> all = new LinkedHashMap<>();

    private Tests() {
    }

    void add(String name, Fn fn) {
        all.put(name, fn);
    }

    /** Name → test. */
    public static Map<String, Fn> all() {
        Tests r = new Tests();
        Definedness.register(r);
        Results.register(r);
        RegexTests.register(r);
        Membership.register(r);
        Types.register(r);
        VersionTest.register(r);
        PathTests.register(r);
        SetTests.register(r);
        Comparisons.register(r);
        UriTests.register(r);
        return r.all;
    }
}
