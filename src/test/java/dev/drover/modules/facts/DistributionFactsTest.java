package dev.drover.modules.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The distribution collector on the release files of other distributions than this machine's
 * (probe output written by hand, as the probe prints it), against the values Ansible 2.14's
 * distribution.py derives from the same files.
 */
class DistributionFactsTest {

    private static Map<String, Object> facts(String... pathsAndContents) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            out.append('\036').append('D').append(pathsAndContents[i]).append('\n').append(pathsAndContents[i + 1]);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        DistributionFacts.collect(new Raw(out.toString()), f);
        return f;
    }

    @Test
    void ubuntu() {
        Map<String, Object> f = facts("/etc/os-release", "PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\nNAME=\"Ubuntu\"\n"
                + "VERSION_ID=\"22.04\"\nVERSION=\"22.04.4 LTS (Jammy Jellyfish)\"\nVERSION_CODENAME=jammy\nID=ubuntu\n"
                + "ID_LIKE=debian\nUBUNTU_CODENAME=jammy\n", "/etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\n",
                "/etc/debian_version", "bookworm/sid\n");
        assertEquals("Ubuntu", f.get("distribution"));
        assertEquals("22.04", f.get("distribution_version"));
        assertEquals("22", f.get("distribution_major_version"));
        assertEquals("jammy", f.get("distribution_release"));
        assertEquals("Debian", f.get("os_family"));
        assertEquals("/etc/os-release", f.get("distribution_file_path"));
        assertEquals("Debian", f.get("distribution_file_variety"));
    }

    @Test
    void rockyThroughRedhatRelease() {
        Map<String, Object> f = facts("/etc/redhat-release", "Rocky Linux release 9.3 (Blue Onyx)\n",
                "/etc/os-release", "NAME=\"Rocky Linux\"\nVERSION=\"9.3 (Blue Onyx)\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n"
                        + "VERSION_ID=\"9.3\"\n", "/etc/system-release", "Rocky Linux release 9.3 (Blue Onyx)\n");
        assertEquals("Rocky", f.get("distribution"));
        assertEquals("9.3", f.get("distribution_version"));
        assertEquals("9", f.get("distribution_major_version"));
        assertEquals("Blue Onyx", f.get("distribution_release"));
        assertEquals("RedHat", f.get("os_family"));
        assertEquals("/etc/redhat-release", f.get("distribution_file_path"));
        assertEquals("RedHat", f.get("distribution_file_variety"));
        Map<String, Object> pkg = new LinkedHashMap<>(f);
        SystemFacts.pkgMgr(new Raw("\036pkg\n/usr/bin/dnf\n/usr/bin/yum\n"), pkg);
        assertEquals("dnf", pkg.get("pkg_mgr"));
    }

    @Test
    void redHatItself() {
        Map<String, Object> f = facts("/etc/redhat-release", "Red Hat Enterprise Linux release 8.9 (Ootpa)\n",
                "/etc/os-release", "NAME=\"Red Hat Enterprise Linux\"\nVERSION=\"8.9 (Ootpa)\"\nID=\"rhel\"\nVERSION_ID=\"8.9\"\n");
        assertEquals("RedHat", f.get("distribution"));
        assertEquals("Red Hat", f.get("distribution_file_search_string"));
        assertEquals("8", f.get("distribution_major_version"));
        assertEquals("Ootpa", f.get("distribution_release"));
        assertEquals("RedHat", f.get("os_family"));
    }

    @Test
    void alpine() {
        Map<String, Object> f = facts("/etc/alpine-release", "3.19.1\n", "/etc/os-release",
                "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME=\"Alpine Linux v3.19\"\n");
        assertEquals("Alpine", f.get("distribution"));
        assertEquals("3.19.1", f.get("distribution_version"));
        assertEquals("3", f.get("distribution_major_version"));
        assertEquals("NA", f.get("distribution_release"));
        assertEquals("Alpine", f.get("os_family"));
        assertEquals("/etc/alpine-release", f.get("distribution_file_path"));
    }

    @Test
    void anUnknownDistributionGetsOsReleasesName() {
        Map<String, Object> f = facts("/etc/os-release", "NAME=\"Foo OS\"\nID=foo\nVERSION_ID=\"2\"\n");
        assertEquals("Foo OS", f.get("distribution"));
        assertEquals("2", f.get("distribution_version"));
        assertEquals("Foo OS", f.get("os_family"));
        assertEquals("NA", f.get("distribution_file_variety"));
        assertEquals("/etc/os-release", f.get("distribution_file_path"));
    }
}
