/**
 * The cgroup side of the OCI runtime: {@link dev.berth.cgroups.CgroupManager} over cgroup v1, v2
 * and hybrid hosts, one class per controller, stats and the freezer. Plain java.nio file I/O on
 * cgroupfs; no process is forked here.
 *
 * <h2>Layout</h2>
 * {@link dev.berth.cgroups.CgroupLayout} reads /proc/self/mountinfo and /proc/self/cgroup; nothing
 * assumes /sys/fs/cgroup. v1 and hybrid hosts get {@link dev.berth.cgroups.CgroupV1}: a directory
 * in every v1 hierarchy (named ones included) and in the v2 mount if there is one; a controller
 * mounted in no v1 hierarchy but offered by the v2 mount (hugetlb on this project's CI host) is
 * driven there with v2 file names. Pure v2 hosts get {@link dev.berth.cgroups.CgroupV2}; hosts
 * without cgroupfs {@link dev.berth.cgroups.NoCgroups}.
 *
 * <h2>What each config field becomes</h2>
 * <pre>
 * field                         v1 file                                  v2 file
 * memory.limit                  memory.limit_in_bytes                    memory.max
 * memory.swap (mem+swap)        memory.memsw.limit_in_bytes              memory.swap.max = swap - limit
 * memory.reservation            memory.soft_limit_in_bytes               memory.low
 * memory.swappiness             memory.swappiness                        error
 * memory.disableOOMKiller       memory.oom_control                       error when true
 * memory.kernelTCP              memory.kmem.tcp.limit_in_bytes           error
 * memory.kernel                 ignored (deprecated, as runc)            ignored
 * cpu.shares                    cpu.shares (clamping reported)           cpu.weight = 1 + (shares-2)*9999/262142
 * cpu.quota / cpu.period        cpu.cfs_quota_us / cpu.cfs_period_us     cpu.max "quota period"
 * cpu.burst                     cpu.cfs_burst_us                         cpu.max.burst
 * cpu.realtimeRuntime/Period    cpu.rt_runtime_us / cpu.rt_period_us     error unless 0
 * cpu.idle                      cpu.idle                                 cpu.idle
 * cpu.cpus / cpu.mems           cpuset.cpus / cpuset.mems                cpuset.cpus / cpuset.mems
 * pids.limit (0, -1 = max)      pids.max                                 pids.max
 * blockIO.weight                blkio.weight, else blkio.bfq.weight      io.bfq.weight, else io.weight (converted)
 * blockIO.leafWeight            blkio.leaf_weight (CFQ only)             error
 * blockIO.weightDevice          blkio[.bfq].weight_device, leaf_weight_device   io[.bfq].weight "maj:min w"
 * blockIO.throttle*             blkio.throttle.*_device                  io.max "maj:min rbps=.."
 * hugepageLimits                hugetlb.SIZE.limit_in_bytes (+rsvd)      hugetlb.SIZE.max (+rsvd)
 * devices                       devices.allow / devices.deny             BPF_PROG_TYPE_CGROUP_DEVICE program (DeviceFilter)
 * network.classID / priorities  net_cls.classid / net_prio.ifpriomap     error
 * unified                       error                                    each key written as a file
 * rdma                          error (not supported)                    error (not supported)
 * </pre>
 * A field whose controller or file is missing on the host is an error naming the field, never a
 * silent skip. A hybrid host without a v1 devices hierarchy gets the device program on its v2
 * directory.
 */
package dev.berth.cgroups;
