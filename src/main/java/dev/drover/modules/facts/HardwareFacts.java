package dev.drover.modules.facts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible 2.14's Linux hardware collector (module_utils/facts/hardware/linux.py): processor*,
 * memory, DMI, uptime, lvm (only "N/A" or nothing), mounts. Not ported: {@code devices} and
 * {@code device_links} (sysfs block devices), LVM volume details, the udevadm UUID fallback.
 */
final class HardwareFacts {
    private HardwareFacts() {
    }

    private static final List<String> FORM_FACTOR = List.of("Unknown", "Other", "Unknown", "Desktop",
            "Low Profile Desktop", "Pizza Box", "Mini Tower", "Tower", "Portable", "Laptop", "Notebook", "Hand Held",
            "Docking Station", "All In One", "Sub Notebook", "Space-saving", "Lunch Box", "Main Server Chassis",
            "Expansion Chassis", "Sub Chassis", "Bus Expansion Chassis", "Peripheral Chassis", "RAID Chassis",
            "Rack Mount Chassis", "Sealed-case PC", "Multi-system", "CompactPCI", "AdvancedTCA", "Blade",
            "Blade Enclosure", "Tablet", "Convertible", "Detachable", "IoT Gateway", "Embedded PC", "Mini PC", "Stick PC");
    private static final String[][] DMI = {
        {"bios_date", "bios_date"}, {"bios_vendor", "bios_vendor"}, {"bios_version", "bios_version"},
        {"board_asset_tag", "board_asset_tag"}, {"board_name", "board_name"}, {"board_serial", "board_serial"},
        {"board_vendor", "board_vendor"}, {"board_version", "board_version"}, {"chassis_asset_tag", "chassis_asset_tag"},
        {"chassis_serial", "chassis_serial"}, {"chassis_vendor", "chassis_vendor"}, {"chassis_version", "chassis_version"},
        {"form_factor", "chassis_type"}, {"product_name", "product_name"}, {"product_serial", "product_serial"},
        {"product_uuid", "product_uuid"}, {"product_version", "product_version"}, {"system_vendor", "sys_vendor"}};

    static void collect(Raw raw, Map<String, Object> f) {
        cpu(raw, f);
        memory(raw, f);
        dmi(raw, f);
        raw.file("/proc/uptime").ifPresent(u -> f.put("uptime_seconds", (int) Double.parseDouble(u.split(" ")[0])));
        // LVM details are not ported: as root with vgs Ansible lists the volume groups; drover says nothing then
        if (!raw.text("lvm").strip().equals("vgs")) {
            f.put("lvm", "N/A");
        }
        mounts(raw, f);
    }

    private static void cpu(Raw raw, Map<String, Object> f) {
        String cpuinfo = raw.section("F/proc/cpuinfo").orElse(null);
        if (cpuinfo == null) {
            return;
        }
        boolean xen = raw.section("xen").isPresent() || raw.file("/sys/hypervisor/type").map("xen"::equals).orElse(false);
        boolean xenParavirt = false;
        List<Object> processor = new ArrayList<>();
        int i = 0;
        int vendorIds = 0;
        int modelNames = 0;
        int processors = 0;
        String physid = "0";
        String coreid = "0";
        Map<String, Integer> sockets = new LinkedHashMap<>();
        Map<String, Integer> cores = new LinkedHashMap<>();
        for (String line : cpuinfo.strip().split("\n")) {
            String[] data = line.split(":", 2);
            String key = data[0].strip();
            String val = data.length > 1 ? data[1].strip() : "";
            if (xen && key.equals("flags") && !val.contains("vme")) {
                xenParavirt = true;
            }
            switch (key) {
                case "model name", "Processor", "vendor_id", "cpu", "Vendor", "processor" -> {
                    processor.add(val);
                    if (key.equals("vendor_id")) {
                        vendorIds++;
                    }
                    if (key.equals("model name")) {
                        modelNames++;
                    }
                    if (key.equals("processor")) {
                        processors++;
                    }
                    i++;
                }
                case "physical id" -> {
                    physid = val;
                    sockets.putIfAbsent(physid, 1);
                }
                case "core id" -> {
                    coreid = val;
                    if (!sockets.containsKey(coreid)) {
                        cores.put(coreid, 1);
                    }
                }
                case "cpu cores" -> sockets.put(physid, Integer.parseInt(val));
                case "siblings" -> cores.put(coreid, Integer.parseInt(val));
                case "# processors" -> f.put("processor_cores", Integer.parseInt(val));
                case "ncpus active" -> i = Integer.parseInt(val);
                default -> {
                }
            }
        }
        f.put("processor", processor);
        if (vendorIds > 0 && vendorIds == modelNames) {
            i = vendorIds;
        }
        String arch = String.valueOf(f.getOrDefault("architecture", ""));
        if (arch.startsWith("armv") || arch.startsWith("aarch") || arch.startsWith("ppc")) {
            i = processors;
        }
        if (arch.equals("s390x")) {
            return;
        }
        if (xenParavirt) {
            f.put("processor_count", i);
            f.put("processor_cores", i);
            f.put("processor_threads_per_core", 1);
            f.put("processor_vcpus", i);
            return;
        }
        f.put("processor_count", sockets.isEmpty() ? i : sockets.size());
        int perSocket = sockets.isEmpty() ? 0 : sockets.values().iterator().next();
        int coresPer = perSocket != 0 ? perSocket : 1;
        f.put("processor_cores", coresPer);
        int threads = cores.isEmpty() ? 1 / coresPer : cores.values().iterator().next() / coresPer;
        f.put("processor_threads_per_core", threads);
        f.put("processor_vcpus", threads * (int) f.get("processor_count") * coresPer);
        String nproc = raw.text("nproc").strip();
        f.put("processor_nproc", nproc.matches("\\d+") ? Integer.parseInt(nproc) : processors);
    }

    private static void memory(Raw raw, Map<String, Object> f) {
        String meminfo = raw.section("F/proc/meminfo").orElse(null);
        if (meminfo == null) {
            return;
        }
        Set<String> original = Set.of("MemTotal", "SwapTotal", "MemFree", "SwapFree");
        Set<String> wanted = Set.of("MemTotal", "SwapTotal", "MemFree", "SwapFree", "Buffers", "Cached", "SwapCached");
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String line : meminfo.split("\n")) {
            String[] data = line.split(":", 2);
            if (data.length < 2 || !wanted.contains(data[0])) {
                continue;
            }
            int mb = (int) (Long.parseLong(data[1].strip().split(" ")[0]) / 1024);
            if (original.contains(data[0])) {
                f.put(data[0].toLowerCase() + "_mb", mb);
            }
            m.put(data[0].toLowerCase(), mb);
        }
        Integer total = m.get("memtotal");
        Integer free = m.get("memfree");
        Integer nocacheFree = m.get("cached") != null && free != null && m.get("buffers") != null
                ? m.get("cached") + free + m.get("buffers") : null;
        Map<String, Object> real = new LinkedHashMap<>();
        real.put("total", total);
        real.put("used", total != null && free != null ? total - free : null);
        real.put("free", free);
        Map<String, Object> nocache = new LinkedHashMap<>();
        nocache.put("free", nocacheFree);
        nocache.put("used", total != null && nocacheFree != null ? total - nocacheFree : null);
        Map<String, Object> swap = new LinkedHashMap<>();
        swap.put("total", m.get("swaptotal"));
        swap.put("free", m.get("swapfree"));
        swap.put("used", m.get("swaptotal") != null && m.get("swapfree") != null ? m.get("swaptotal") - m.get("swapfree") : null);
        swap.put("cached", m.get("swapcached"));
        Map<String, Object> mem = new LinkedHashMap<>();
        mem.put("real", real);
        mem.put("nocache", nocache);
        mem.put("swap", swap);
        f.put("memory_mb", mem);
    }

    private static void dmi(Raw raw, Map<String, Object> f) {
        boolean sys = raw.section("dmi").isPresent();
        for (String[] d : DMI) {
            String v = sys ? raw.file("/sys/devices/virtual/dmi/id/" + d[1]).orElse(null) : null;
            if (v == null) {
                f.put(d[0], "NA");
            } else if (d[0].equals("form_factor")) {
                try {
                    int n = Integer.parseInt(v);
                    f.put(d[0], n < FORM_FACTOR.size() ? FORM_FACTOR.get(n) : "unknown (" + v + ")");
                } catch (NumberFormatException e) {
                    f.put(d[0], "unknown (" + v + ")");
                }
            } else {
                f.put(d[0], v);
            }
        }
    }

    private static final Pattern OCTAL = Pattern.compile("\\\\[0-9]{3}");

    private static String unescape(String v) {
        Matcher m = OCTAL.matcher(v);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group().substring(1), 8))));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static void mounts(Raw raw, Map<String, Object> f) {
        if (raw.section("mtab").isEmpty()) {
            return;
        }
        Set<String> binds = new HashSet<>();
        for (String line : raw.lines("findmnt")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 2 && fields[1].endsWith("]")) {
                binds.add(fields[0]);
            }
        }
        Map<String, String> uuids = new LinkedHashMap<>();
        for (String line : raw.lines("lsblk")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 2) {
                uuids.putIfAbsent(fields[0], fields[fields.length - 1]);
            }
        }
        Map<String, long[]> sizes = new LinkedHashMap<>();
        for (String line : raw.lines("statvfs")) {
            int tab = line.indexOf('\t');
            String[] n = line.substring(0, Math.max(tab, 0)).strip().split(" ");
            if (tab > 0 && n.length == 7) {
                long[] v = new long[7];
                for (int i = 0; i < 7; i++) {
                    v[i] = Long.parseLong(n[i]);
                }
                sizes.put(line.substring(tab + 1), v);
            }
        }
        List<Object> mounts = new ArrayList<>();
        Map<String, Map<String, Object>> byMount = new LinkedHashMap<>();
        for (String line : raw.lines("mtab")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 4) {
                continue;
            }
            String device = unescape(fields[0]);
            String mount = unescape(fields[1]);
            String fstype = unescape(fields[2]);
            String options = unescape(fields[3]);
            if (!device.startsWith("/") && !device.startsWith("\\") && !device.contains(":/") || fstype.equals("none")) {
                continue;
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("mount", mount);
            info.put("device", device);
            info.put("fstype", fstype);
            if (binds.contains(mount) && !options.matches(".*bind.*\"")) {
                options += ",bind";
            }
            info.put("options", options);
            long[] s = sizes.get(mount);
            if (s != null) {
                // stat -f: %s f_bsize, %S f_frsize, %b f_blocks, %f f_bfree, %a f_bavail, %c f_files, %d f_ffree
                info.put("size_total", s[1] * s[2]);
                info.put("size_available", s[1] * s[4]);
                info.put("block_size", s[0]);
                info.put("block_total", s[2]);
                info.put("block_available", s[4]);
                info.put("block_used", s[2] - s[4]);
                info.put("inode_total", s[5]);
                info.put("inode_available", s[6]);
                info.put("inode_used", s[5] - s[6]);
            }
            String uuid = uuids.get(device);
            info.put("uuid", uuid == null || uuid.isEmpty() ? "N/A" : uuid);
            // a mount point listed twice (over-mounted): Ansible's dict keeps the last entry, at the first one's place
            if (byMount.containsKey(mount)) {
                byMount.get(mount).clear();
                byMount.get(mount).putAll(info);
            } else {
                byMount.put(mount, info);
                mounts.add(info);
            }
        }
        f.put("mounts", mounts);
    }
}
