package dev.drover.modules.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever a host prints, the parser never throws: a collector whose input is broken gives no
 * facts (as Ansible's collector loop), the others still do. Seeded mutations of a realistic probe
 * output: sections cut, shuffled, garbled.
 */
class FactParserRobustnessTest {
    private static final String SAMPLE = String.join("\036",
            "", "uname\nLinux\n6.1.0\n#1 SMP\nx86_64\nweb1\n", "bits\n64\n", "fqdn\n10.0.0.5 web1.example.com web1\n",
            "D/etc/os-release\nNAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"
                    + "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n", "D/etc/debian_version\n12.5\n",
            "user\nroot\n0\n0\n0\n0\nroot:x:0:0:root:/root:/bin/bash\n",
            "date\n2026|12|Tuesday|2|48|01|21|52|40|1796161960|611239509|UTC|+0000\nUTC|+0000\nUTC|+0000\n",
            "F/proc/cpuinfo\nprocessor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: X\nphysical id\t: 0\nsiblings\t: 2\n"
                    + "core id\t: 0\ncpu cores\t: 2\n", "F/proc/meminfo\nMemTotal: 2048000 kB\nMemFree: 1024000 kB\n",
            "F/proc/uptime\n123.45 67.8\n", "nproc\n2\n", "mtab\n/dev/vda / ext4 rw 0 0\n",
            "statvfs\n4096 4096 100 50 40 1000 900\t/\n", "route4\n8.8.8.8 via 10.0.0.1 dev eth0 src 10.0.0.5 uid 0\n",
            "route6\n", "Neth0\naddress=02:00:00:00:00:01\nmtu=1500\noperstate=up\ntype=1\nflags=0x1003\n",
            "Peth0\n2: eth0: <UP> mtu 1500\n    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\n", "Seth0\n",
            "python\n/usr/bin/python3|3|11|2|final|0|True|cpython|3.11.2\n", "F/proc/loadavg\n0.1 0.2 0.3 1/2 3\n",
            "Lf/etc/ansible/facts.d/a.fact\neyJhIjogMX0=\n", "Lx/etc/ansible/facts.d/b.fact\n0\neyJiIjogMn0=\n\n", "end\n");

    @Test
    void theSampleParses() {
        List<String> collectors = GatherSubset.collectors(List.of("all"));
        Map<String, Object> f = LinuxFacts.parse(SAMPLE, collectors, List.of("all"), List.of(), new ArrayList<>());
        assertEquals("Debian", f.get("ansible_distribution"));
        assertEquals("12.5", f.get("ansible_distribution_version"));
        assertEquals(2, f.get("ansible_processor_vcpus"));
        assertEquals("10.0.0.5", ((Map<?, ?>) f.get("ansible_default_ipv4")).get("address"));
        assertEquals("web1.example.com", f.get("ansible_fqdn"));
        assertEquals(Map.of("a", Map.of("a", 1), "b", Map.of("b", 2)), f.get("ansible_local"));
    }

    @Test
    void mutatedOutputNeverThrows() {
        List<String> collectors = GatherSubset.collectors(List.of("all"));
        Random random = new Random(8);
        for (int round = 0; round < 500; round++) {
            StringBuilder b = new StringBuilder(SAMPLE);
            for (int m = 0; m < 1 + random.nextInt(6); m++) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(4)) {
                    case 0 -> b.delete(at, Math.min(b.length(), at + random.nextInt(40)));
                    case 1 -> b.insert(at, "|x|\n=:\036" + (char) ('A' + random.nextInt(26)));
                    case 2 -> b.setCharAt(at, "0a|:=\n\t /\036-".charAt(random.nextInt(11)));
                    default -> b.insert(at, b.substring(random.nextInt(b.length() / 2), b.length() / 2));
                }
            }
            Map<String, Object> f = LinuxFacts.parse(b.toString(), collectors, List.of("all"), List.of(), new ArrayList<>());
            assertTrue(f.containsKey("module_setup"));
        }
    }
}
