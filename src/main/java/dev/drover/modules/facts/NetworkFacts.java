package dev.drover.modules.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ansible 2.14's Linux network collector (module_utils/facts/network/linux.py): the default
 * routes from {@code ip route get}, each /sys/class/net interface's attributes, its addresses
 * from {@code ip addr show primary|secondary dev X}. Not ported: the ethtool data (features,
 * timestamping), which Ansible adds only where ethtool is installed.
 */
final class NetworkFacts {
    private NetworkFacts() {
    }

    private static final Map<String, String> TYPES = Map.of("1", "ether", "32", "infiniband", "512", "ppp",
            "772", "loopback", "65534", "tunnel");

    @SuppressWarnings("unchecked")
    static void collect(Raw raw, Map<String, Object> f) {
        if (raw.section("route4").isEmpty()) {
            return; // no ip command
        }
        Map<String, Object> v4 = route(raw.text("route4"), "8.8.8.8");
        Map<String, Object> v6 = route(raw.text("route6"), "2404:6800:400a:800::1012");
        Map<String, Map<String, Object>> interfaces = new LinkedHashMap<>();
        List<Object> all4 = new ArrayList<>();
        List<Object> all6 = new ArrayList<>();
        Map<String, String> devices = raw.withPrefix("N");
        String macaddress = null; // as Ansible's loop variable: the last one read
        for (Map.Entry<String, String> dev : devices.entrySet()) {
            String device = dev.getKey();
            Map<String, String> a = new LinkedHashMap<>();
            for (String line : dev.getValue().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    a.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("device", device);
            interfaces.put(device, i);
            if (a.containsKey("address")) {
                macaddress = a.get("address");
                if (!macaddress.isEmpty() && !macaddress.equals("00:00:00:00:00:00")) {
                    i.put("macaddress", macaddress);
                }
            }
            if (a.containsKey("mtu")) {
                i.put("mtu", SystemFacts.toInt(a.get("mtu")));
            }
            if (a.containsKey("operstate")) {
                i.put("active", !a.get("operstate").equals("down"));
            }
            if (a.containsKey("module")) {
                i.put("module", a.get("module"));
            }
            if (a.containsKey("type")) {
                i.put("type", TYPES.getOrDefault(a.get("type"), "unknown"));
            }
            if (a.containsKey("bridge")) {
                i.put("type", "bridge");
                List<Object> members = new ArrayList<>();
                for (String m : a.getOrDefault("brif", "").strip().split("\\s+")) {
                    if (!m.isEmpty()) {
                        members.add(m);
                    }
                }
                i.put("interfaces", members);
                if (a.containsKey("bridge_id")) {
                    i.put("id", a.get("bridge_id"));
                }
                if (a.containsKey("stp_state")) {
                    i.put("stp", a.get("stp_state").equals("1"));
                }
            }
            if (a.containsKey("bonding")) {
                i.put("type", "bonding");
                i.put("slaves", List.of((Object[]) a.getOrDefault("bonding_slaves", "").strip().split("\\s+")));
                i.put("mode", first(a.get("bonding_mode")));
                i.put("miimon", first(a.get("bonding_miimon")));
                i.put("lacp_rate", first(a.get("bonding_lacp_rate")));
                String primary = a.getOrDefault("bonding_primary", "");
                if (!primary.isEmpty()) {
                    i.put("primary", primary);
                    if (a.containsKey("bonding_all_slaves_active")) {
                        i.put("all_slaves_active", a.get("bonding_all_slaves_active").equals("1"));
                    }
                }
            }
            if (a.containsKey("bonding_slave/perm_hwaddr")) {
                i.put("perm_macaddress", a.get("bonding_slave/perm_hwaddr"));
            }
            if (a.containsKey("device")) {
                i.put("pciid", a.get("device"));
            }
            if (a.containsKey("speed") && a.get("speed").strip().matches("-?\\d+")) {
                i.put("speed", Integer.parseInt(a.get("speed").strip()));
            }
            if (a.containsKey("flags")) {
                try {
                    i.put("promisc", (Integer.parseInt(a.get("flags").strip().replace("0x", ""), 16) & 0x0100) > 0);
                } catch (NumberFormatException e) {
                    i.put("promisc", false);
                }
            }
            Parser p = new Parser(device, interfaces, v4, v6, all4, all6, macaddress);
            p.parse(raw.text("P" + device), false);
            p.parse(raw.text("S" + device), true);
        }
        Map<String, Object> renamed = new LinkedHashMap<>();
        interfaces.forEach((k, v) -> renamed.put(k.replace(':', '_'), v));
        f.put("interfaces", new ArrayList<>(renamed.keySet()));
        f.putAll(renamed);
        f.put("default_ipv4", v4);
        f.put("default_ipv6", v6);
        f.put("all_ipv4_addresses", all4);
        f.put("all_ipv6_addresses", all6);
    }

    private static String first(String s) {
        String[] w = s == null ? new String[0] : s.strip().split("\\s+");
        return w.length == 0 ? "" : w[0];
    }

    private static Map<String, Object> route(String out, String target) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (out.isEmpty()) {
            return r;
        }
        String[] words = out.split("\n")[0].strip().split("\\s+");
        if (words.length > 0 && words[0].equals(target)) {
            for (int i = 0; i < words.length - 1; i++) {
                switch (words[i]) {
                    case "dev" -> r.put("interface", words[i + 1]);
                    case "src" -> r.put("address", words[i + 1]);
                    case "via" -> {
                        if (!words[i + 1].equals(target)) {
                            r.put("gateway", words[i + 1]);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        return r;
    }

    /** parse_ip_output of Ansible's get_interfaces_info, for one device. */
    private record Parser(String device, Map<String, Map<String, Object>> interfaces, Map<String, Object> v4,
                          Map<String, Object> v6, List<Object> all4, List<Object> all6, String macaddress) {

        @SuppressWarnings("unchecked")
        void parse(String output, boolean secondary) {
            for (String line : output.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] words = line.strip().split("\\s+");
                if (words[0].equals("inet")) {
                    String address;
                    String len;
                    String broadcast = "";
                    if (words[1].contains("/")) {
                        address = words[1].split("/")[0];
                        len = words[1].split("/")[1];
                        if (words.length > 3 && words[2].equals("brd")) {
                            broadcast = words[3];
                        }
                    } else {
                        address = words[1];
                        len = "32";
                    }
                    long addr = ipv4(address);
                    long mask = (1L << 32) - ((1L << 32) >> Integer.parseInt(len));
                    String netmask = dotted(mask);
                    String network = dotted(addr & mask);
                    String iface = words[words.length - 1];
                    if (!iface.equals(device)) {
                        interfaces.put(iface, new LinkedHashMap<>());
                    }
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("address", address);
                    entry.put("broadcast", broadcast);
                    entry.put("netmask", netmask);
                    entry.put("network", network);
                    entry.put("prefix", len);
                    Map<String, Object> target = interfaces.get(iface);
                    if (!secondary && !target.containsKey("ipv4")) {
                        target.put("ipv4", entry);
                    } else {
                        ((List<Object>) target.computeIfAbsent("ipv4_secondaries", k -> new ArrayList<>()))
                                .add(new LinkedHashMap<>(entry));
                    }
                    if (secondary) {
                        List<Object> sec = (List<Object>) interfaces.get(device)
                                .computeIfAbsent("ipv4_secondaries", k -> new ArrayList<>());
                        if (!device.equals(iface)) {
                            sec.add(new LinkedHashMap<>(entry));
                        }
                    }
                    if (address.equals(v4.get("address"))) {
                        v4.put("broadcast", broadcast);
                        v4.put("netmask", netmask);
                        v4.put("network", network);
                        v4.put("prefix", len);
                        v4.put("macaddress", macaddress);
                        v4.put("mtu", interfaces.get(device).get("mtu"));
                        v4.put("type", interfaces.get(device).getOrDefault("type", "unknown"));
                        v4.put("alias", iface);
                    }
                    if (!address.startsWith("127.")) {
                        all4.add(address);
                    }
                } else if (words[0].equals("inet6")) {
                    String address;
                    String prefix;
                    String scope;
                    if (words.length > 5 && words[2].equals("peer")) {
                        address = words[1];
                        prefix = words[3].split("/")[1];
                        scope = words[5];
                    } else {
                        address = words[1].split("/")[0];
                        prefix = words[1].split("/")[1];
                        scope = words.length > 3 ? words[3] : "";
                    }
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("address", address);
                    entry.put("prefix", prefix);
                    entry.put("scope", scope);
                    ((List<Object>) interfaces.get(device).computeIfAbsent("ipv6", k -> new ArrayList<>())).add(entry);
                    if (address.equals(v6.get("address"))) {
                        v6.put("prefix", prefix);
                        v6.put("scope", scope);
                        v6.put("macaddress", macaddress);
                        v6.put("mtu", interfaces.get(device).get("mtu"));
                        v6.put("type", interfaces.get(device).getOrDefault("type", "unknown"));
                    }
                    if (!address.equals("::1")) {
                        all6.add(address);
                    }
                }
            }
        }

        private static long ipv4(String a) {
            long v = 0;
            for (String p : a.split("\\.")) {
                v = v << 8 | Long.parseLong(p);
            }
            return v;
        }

        private static String dotted(long v) {
            return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
        }
    }
}
