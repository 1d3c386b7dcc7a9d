package dev.berth.cgroups;

import dev.berth.sys.Bpf;
import dev.berth.sys.DirFd;
import dev.berth.sys.Errno;
import dev.berth.sys.Fd;
import dev.berth.sys.SyscallException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a {@link DeviceFilter} with bpf(BPF_PROG_LOAD) and attaches it to a cgroup
 * (BPF_PROG_ATTACH, BPF_CGROUP_DEVICE), in place of whatever device program the cgroup itself
 * had: apply() at create and again at update must leave exactly one filter, the new one.
 *
 * <p>How the old program goes matters, because a cgroup with no device program allows every
 * device. So the new program is always attached <em>before</em> the old one is detached:
 * <ul>
 * <li>none attached: attach with BPF_F_ALLOW_MULTI, so that a nested runtime can still add its
 *     own filter below (the kernel runs every program on the path and needs all of them to say
 *     yes, kernel/bpf/cgroup.c; a child can never widen what its parent allows);
 * <li>one attached with ALLOW_MULTI (our previous apply): BPF_F_REPLACE swaps it atomically
 *     (since 5.6; on older kernels, as below);
 * <li>several: attach the new one, then detach each old one. In between both run, which can only
 *     deny more, never allow more;
 * <li>one attached without ALLOW_MULTI (by another tool): attaching with its flags replaces it in
 *     one step, and ALLOW_MULTI would be refused (EPERM) anyway.
 * </ul>
 * The program and cgroup descriptors are closed before returning: an attached program is held by
 * the cgroup and freed with it, so destroy() has nothing to do.
 */
final class BpfDeviceFilterInstaller implements DeviceFilterInstaller {
    static final BpfDeviceFilterInstaller INSTANCE = new BpfDeviceFilterInstaller();

    /** bpftool prog shows it; [A-Za-z0-9_.], at most 15 characters. */
    static final String PROGRAM_NAME = "berth_devices";
    /**
     * A device program calls no helper, so no GPL-only one, and the license string has no effect
     * beyond what `bpftool prog` reports (Documentation/bpf/bpf_licensing.rst).
     */
    static final String LICENSE = "Apache-2.0";

    private BpfDeviceFilterInstaller() {}

    @Override
    public void install(Path cgroupDir, DeviceFilter filter) {
        requireCgroup2(cgroupDir);
        try (Fd cgroup = DirFd.open(cgroupDir);
             Fd prog = Bpf.progLoad(Bpf.PROG_TYPE_CGROUP_DEVICE, PROGRAM_NAME, filter.code(), LICENSE)) {
            Bpf.Attached old = Bpf.progQuery(cgroup, Bpf.ATTACH_CGROUP_DEVICE);
            int[] ids = old.ids();
            if (ids.length == 0) {
                Bpf.progAttach(cgroup, prog, Bpf.ATTACH_CGROUP_DEVICE, Bpf.F_ALLOW_MULTI, null);
            } else if ((old.flags() & Bpf.F_ALLOW_MULTI) == 0) {
                Bpf.progAttach(cgroup, prog, Bpf.ATTACH_CGROUP_DEVICE, old.flags(), null);
            } else if (ids.length != 1 || !replace(cgroup, prog, ids[0])) {
                Bpf.progAttach(cgroup, prog, Bpf.ATTACH_CGROUP_DEVICE, Bpf.F_ALLOW_MULTI, null);
                for (int id : ids) {
                    detach(cgroup, id);
                }
            }
        } catch (SyscallException e) {
            throw new CgroupException(Devices.FIELD, "install the device filter (" + filter + ") on " + cgroupDir
                    + ": " + e.getMessage(), e);
        }
    }

    /** BPF_F_REPLACE of program {@code oldId}; false if the kernel predates it or the program is gone. */
    private static boolean replace(Fd cgroup, Fd prog, int oldId) {
        try (Fd old = Bpf.progFdById(oldId)) {
            Bpf.progAttach(cgroup, prog, Bpf.ATTACH_CGROUP_DEVICE, Bpf.F_ALLOW_MULTI | Bpf.F_REPLACE, old);
            return true;
        } catch (SyscallException e) {
            int errno = e.errno().number();
            if (errno == Errno.ENOENT || errno == Errno.EINVAL) {
                return false;
            }
            throw e;
        }
    }

    /** Detaches program {@code id}; one that is already gone (ENOENT) is fine. */
    private static void detach(Fd cgroup, int id) {
        try (Fd old = Bpf.progFdById(id)) {
            Bpf.progDetach(cgroup, old, Bpf.ATTACH_CGROUP_DEVICE);
        } catch (SyscallException e) {
            if (e.errno().number() != Errno.ENOENT) {
                throw e;
            }
        }
    }

    /**
     * A device program attaches only to a cgroup2 directory; anything else fails with a bare
     * EBADF (cgroup_get_from_fd), so say what is wrong first.
     */
    private static void requireCgroup2(Path dir) {
        String type;
        try {
            type = Files.getFileStore(dir).type();
        } catch (IOException e) {
            throw new CgroupException(Devices.FIELD, "install the device filter on " + dir + ": "
                    + CgroupDir.reason(e), e);
        }
        if (!type.equals("cgroup2")) {
            throw new CgroupException(Devices.FIELD, dir + " is on a " + type + " filesystem, not cgroup2:"
                    + " device filters (eBPF) attach only to cgroup v2 directories");
        }
    }
}
