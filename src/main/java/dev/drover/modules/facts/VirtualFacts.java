package dev.drover.modules.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ansible 2.14's Linux virtualization collector (module_utils/facts/virtual/linux.py), in its
 * order of checks: cgroups of PID 1, its environment, OpenVZ, systemd's container file, docker's
 * marker files, Xen, DMI names, VServer, cpuinfo, kernel modules, dmidecode, /dev/kvm. Not
 * ported: the s390 lscpu probe and the RHEV vdsm process scan.
 */
final class VirtualFacts {
    private VirtualFacts() {
    }

    private static final class State {
        final Map<String, Object> facts = new LinkedHashMap<>();
        final Set<String> host = new LinkedHashSet<>();
        final Set<String> guest = new LinkedHashSet<>();
        boolean found;

        void guest(String tech, String type, String role) {
            guest.add(tech);
            set(type, role);
        }

        void set(String type, String role) {
            if (!found) {
                if (type != null) {
                    facts.put("virtualization_type", type);
                }
                if (role != null) {
                    facts.put("virtualization_role", role);
                }
                found = true;
            }
        }
    }

    private static boolean in(String v, String... values) {
        return v != null && List.of(values).contains(v);
    }

    static void collect(Raw raw, Map<String, Object> f) {
        State s = new State();
        for (String line : raw.file("/proc/1/cgroup").orElse("").split("\n")) {
            if (line.matches(".*/docker(/|-[0-9a-f]+\\.scope).*")) {
                s.guest("docker", "docker", "guest");
            }
            if (line.contains("/lxc/") || line.contains("/machine.slice/machine-lxc")) {
                s.guest("lxc", "lxc", "guest");
            }
            if (line.contains("/system.slice/containerd.service")) {
                s.guest("containerd", "containerd", "guest");
            }
        }
        for (String line : raw.lines("environ1")) {
            if (line.contains("container=lxc")) {
                s.guest("lxc", "lxc", "guest");
            }
            if (line.contains("container=podman")) {
                s.guest("podman", "podman", "guest");
            }
            if (line.matches("^container=.+")) {
                s.guest("container", "container", "guest");
            }
        }
        if (raw.has("virt", "ex=/proc/vz") && !raw.has("virt", "ex=/proc/lve")) {
            s.facts.put("virtualization_type", "openvz");
            boolean bc = raw.has("virt", "ex=/proc/bc");
            (bc ? s.host : s.guest).add("openvz");
            if (!s.found) {
                s.facts.put("virtualization_role", bc ? "host" : "guest");
            }
            s.found = true;
        }
        String systemdContainer = raw.file("/run/systemd/container").orElse("");
        if (!systemdContainer.isEmpty()) {
            s.guest(systemdContainer, systemdContainer, "guest");
        }
        if (raw.has("virt", "ex=/.dockerenv") || raw.has("virt", "ex=/.dockerinit")) {
            s.guest("docker", "docker", "guest");
        }
        if (s.guest.stream().anyMatch(t -> List.of("docker", "lxc", "podman", "openvz", "containerd").contains(t))
                || !systemdContainer.isEmpty()) {
            s.guest.add("container");
        }
        if (raw.has("virt", "ex=/proc/xen")) {
            boolean xenHost = raw.file("/proc/xen/capabilities").orElse("").contains("control_d");
            if (xenHost) {
                s.host.add("xen");
            }
            s.set("xen", xenHost ? "host" : "guest");
        }
        if (!s.found) {
            s.facts.put("virtualization_role", "guest");
        }
        String product = raw.file("/sys/devices/virtual/dmi/id/product_name").orElse(null);
        String vendor = raw.file("/sys/devices/virtual/dmi/id/sys_vendor").orElse(null);
        String family = raw.file("/sys/devices/virtual/dmi/id/product_family").orElse(null);
        String bios = raw.file("/sys/devices/virtual/dmi/id/bios_vendor").orElse(null);
        if (in(product, "KVM", "KVM Server", "Bochs", "AHV")) {
            s.guest("kvm", "kvm", null);
        }
        if ("oVirt".equals(vendor)) {
            s.guest("oVirt", "oVirt", null);
        }
        if ("Red Hat".equals(vendor)) {
            if ("RHV".equals(family)) {
                s.guest("RHV", "RHV", null);
            } else if ("RHEV Hypervisor".equals(product)) {
                s.guest("RHEV", "RHEV", null);
            }
        }
        if (in(product, "VMware Virtual Platform", "VMware7,1")) {
            s.guest("VMware", "VMware", null);
        }
        if (in(product, "OpenStack Compute", "OpenStack Nova")) {
            s.guest("openstack", "openstack", null);
        }
        if ("Xen".equals(bios)) {
            s.guest("xen", "xen", null);
        }
        if ("innotek GmbH".equals(bios)) {
            s.guest("virtualbox", "virtualbox", null);
        }
        if (in(bios, "Amazon EC2", "DigitalOcean", "Hetzner")) {
            s.guest("kvm", "kvm", null);
        }
        if (in(vendor, "QEMU", "Amazon EC2", "DigitalOcean", "Google", "Scaleway", "Nutanix")) {
            s.guest("kvm", "kvm", null);
        }
        if ("KubeVirt".equals(vendor)) {
            s.guest("KubeVirt", "KubeVirt", null);
        }
        if ("Microsoft Corporation".equals(vendor)) {
            s.guest("VirtualPC", "VirtualPC", null);
        }
        if ("Parallels Software International Inc.".equals(vendor)) {
            s.guest("parallels", "parallels", null);
        }
        if ("OpenStack Foundation".equals(vendor)) {
            s.guest("openstack", "openstack", null);
        }
        if (!s.found) {
            s.facts.remove("virtualization_role");
        }
        for (String line : raw.lines("vxid")) {
            if (line.matches("^VxID:\\s+\\d+.*")) {
                boolean host = line.matches("^VxID:\\s+0.*");
                (host ? s.host : s.guest).add("linux_vserver");
                s.set("linux_vserver", host ? "host" : "guest");
            }
        }
        for (String line : raw.section("F/proc/cpuinfo").orElse("").split("\n")) {
            String tech;
            if (line.matches("^model name.*QEMU Virtual CPU.*") || line.matches("^machine.*CHRP IBM pSeries .emulated by qemu..*")) {
                tech = "kvm";
            } else if (line.matches("^vendor_id.*User Mode Linux.*") || line.matches("^model name.*UML.*")) {
                tech = "uml";
            } else if (line.matches("^vendor_id.*PowerVM Lx86.*")) {
                tech = "powervm_lx86";
            } else if (line.matches("^vendor_id.*IBM/S390.*")) {
                s.guest.add("ibm_systemz");
                s.set("ibm_systemz", "LPAR");
                continue;
            } else {
                continue;
            }
            s.guest(tech, tech, "guest");
        }
        List<String> modules = raw.lines("modules");
        if (modules.contains("kvm")) {
            s.host.add("kvm");
            s.set("kvm", "host");
            s.found = true;
        }
        if (modules.contains("vboxdrv")) {
            s.host.add("virtualbox");
            s.set("virtualbox", "host");
        }
        if (modules.contains("virtio")) {
            s.host.add("kvm");
            s.set("kvm", "guest");
        }
        String dmidecode = raw.text("dmidecode");
        if (!dmidecode.isEmpty()) {
            StringBuilder name = new StringBuilder();
            for (String line : dmidecode.split("\n")) {
                if (!line.startsWith("#")) {
                    name.append(line.strip());
                }
            }
            if (name.toString().startsWith("VMware")) {
                s.guest("VMware", "VMware", "guest");
            }
            if (dmidecode.contains("BHYVE")) {
                s.guest("bhyve", "bhyve", "guest");
            }
        }
        if (raw.has("virt", "ex=/dev/kvm")) {
            s.host.add("kvm");
            s.set("kvm", "host");
        }
        s.set("NA", "NA");
        f.putAll(s.facts);
        f.put("virtualization_tech_guest", new ArrayList<>(s.guest));
        f.put("virtualization_tech_host", new ArrayList<>(s.host));
    }
}
