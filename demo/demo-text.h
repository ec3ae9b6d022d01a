/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* demo-text.h — every word `vcbench demo` says, in one place, in the order
 * the class hears them. Plain words for students; numbers are filled in by
 * the steps (printf formats, checked by the compiler where they are used). */
#ifndef BENCH_DEMO_TEXT_H
#define BENCH_DEMO_TEXT_H

/* ---- headings ------------------------------------------------------------- */
#define DT_HEADING_FMT "\n== Step %u of %u: %s ==\n\n"
#define DT_STEP1       "The question"
#define DT_STEP2       "The same program, started three ways"
#define DT_STEP3       "What each one costs in memory"
#define DT_STEP4       "A noisy neighbour: one app eats what the others need"
#define DT_STEP5       "Writing it down"
#define DT_PAUSE       "\n  [Enter: next step, Ctrl-C: stop] "

/* ---- step 1 ---------------------------------------------------------------- */
#define DT_INTRO1                                                                                  \
    "Several applications often share one computer, the host. They must be kept\n"                 \
    "apart, isolated, because one of them can eat a resource the others need: a\n"                 \
    "program with a memory leak keeps allocating until the machine runs out, and\n"                \
    "its neighbours slow down or get killed.\n\n"                                                  \
    "Two ways to build the walls:\n"                                                               \
    "  - a virtual machine (VM) gives each app a whole emulated computer with its\n"               \
    "    own kernel: a strong wall, paid for in start-up time and memory;\n"                       \
    "  - a container is an ordinary process that the host's one kernel fences in:\n"               \
    "    namespaces limit what it can see, cgroups limit what it can use. Cheap,\n"                \
    "    but every container rests on that one shared kernel.\n\n"                                 \
    "We run the same small program three ways: as a plain process (no walls at\n"                  \
    "all: the baseline), as a container and as a VM, and measure what each costs\n"                \
    "and what it buys.\n"
#define DT_BACKENDS  "\nIn this demo: %s.\n"
#define DT_NOT_BUILT "  (%s: %s; its steps will say so and go on.)\n"
#define DT_ACCEL_TCG                                                                               \
    "\nNote: this host cannot use KVM, the hardware support that makes VMs fast\n"                 \
    "(%s).\nSo the VM runs emulated in software (TCG), many times slower than a real\n"            \
    "KVM guest, and every VM figure below is labelled \"emulated (TCG)\".\n"
#define DT_PREPARING "\nPreparing the images (one per program, the same bytes for all three)...\n"

/* ---- step 2: boot ------------------------------------------------------------ */
#define DT_INTRO2                                                                                  \
    "The program is `noop`: it starts, says \"ready\" and exits. The first start of\n"             \
    "each is shown phase by phase, timed by the host's clock:\n"                                   \
    "  create->started  the launcher's own work until the instance runs\n"                         \
    "                   (container: namespaces and a cgroup; VM: qemu starts)\n"                   \
    "  started->init    until our tiny init (PID 1 inside) runs\n"                                 \
    "                   (VM: firmware and the guest's own kernel boot first)\n"                    \
    "  init->ready      init starts the program, the program says ready\n"                         \
    "  create->ready    all of it\n\n"
#define DT_BOOT_HEAD "  %-20s" DT_BOOT_CELL DT_BOOT_CELL DT_BOOT_CELL DT_BOOT_CELL "\n"
#define DT_BOOT_ROW  "  %-20s"
#define DT_BOOT_CELL " %15s"
#define DT_BOOT_ZERO "~0"
#define DT_BOOT_CT                                                                                 \
    "\nThe container was ready in %s, %.1fx the plain process (%s):\n"                             \
    "the same kernel runs it; it only has a few namespaces and a cgroup to set up.\n"
#define DT_BOOT_VM                                                                                 \
    "The VM took %s, %.0fx the %s.\n"                                                              \
    "%s of it passed before our init even ran: qemu starting and the guest's own\n"                \
    "kernel booting.\n%s"
#define DT_BOOT_VM_TCG                                                                             \
    "(Emulated, TCG: this host could not run the guest under KVM, so how long a\n"                 \
    "KVM guest takes to boot was not measured here; this figure is not it.)\n"
#define DT_BOOT_REPEAT                                                                             \
    "\nOne start can be lucky, so each was started again, quietly. Median\n"                       \
    "create->ready:\n"
#define DT_BOOT_MEDIAN "  %-24s %12s   (%zu starts)\n"

/* ---- step 3: memory ------------------------------------------------------------ */
#define DT_INTRO3                                                                                  \
    "Now an `idle` program (it just sleeps) in each, measured once it has settled:\n"              \
    "  host cost      the memory the host gave up for this instance\n"                             \
    "  program uses   what the program itself uses (for the VM: what the guest's\n"                \
    "                 kernel reports in use, its own kernel included)\n"                           \
    "  overhead       the difference: the price of the walls themselves\n\n"
#define DT_MEM_HEAD DT_MEM_ROW
#define DT_MEM_ROW  "  %-20s %12s   %12s  %12s\n"
#define DT_MEM_CT                                                                                  \
    "\nThe container costs %s, the plain process %s: a container's walls are\n"                    \
    "bookkeeping in the one kernel, not copies of anything.\n"
#define DT_MEM_VM                                                                                  \
    "The VM costs %s, about %.0fx the container: it carries a whole guest kernel\n"                \
    "and the emulator (qemu) around the same small program. In the memory one\n"                   \
    "such VM takes, about %.0f of these containers would fit.%s\n"
#define DT_MEM_VM_TCG "\n(Under TCG that includes qemu's cache of translated guest code.)"

/* ---- step 4: isolation ---------------------------------------------------------- */
#define DT_INTRO4                                                                                  \
    "Now the story from step 1. The victim is `cpu`: it counts loop iterations for\n"              \
    "%s; its score is operations per second, higher is better. It runs alone\n"                    \
    "first, then beside a neighbour, and we compare. The first neighbour is\n"                     \
    "`memhog`: it grabs memory 16 MiB at a time until something stops it.\n"
#define DT_INTRO4_PROCESS                                                                          \
    "  process:   no limits. Only memhog's own ceiling stops it, at 1 GiB (to keep\n"              \
    "             the host safe; a real leak has no such ceiling)\n"
#define DT_INTRO4_CT   "  container: a cgroup limits each to %s of memory and %s CPU\n"
#define DT_INTRO4_VM   "  VM:        each gets %s of RAM and %s vCPU; its own kernel must cope\n"
#define DT_SOLO        "\nThe victim alone (its own baseline):\n"
#define DT_SOLO_ROW    "  %-24s %12s ops/s   (%zu run%s%s)\n"
#define DT_SOLO_SPREAD ", %.0f%% apart"
#define DT_BESIDE      "\nThe victim beside %s:\n"
#define DT_PAIR_ROW    "  %-24s %12s ops/s = %3.0f%% of alone: %s\n"
#define DT_PAIR_NOSOLO "  %-24s %12s ops/s (no baseline to compare with)\n"
#define DT_HURT        "hurt"
#define DT_NOT_HURT    "not measurably hurt"
#define DT_NOISY       "not clearly hurt: its runs alone were %.0f%% apart"
#define DT_FASTER      "not hurt (faster than alone: the runs are noisy)"
#define DT_HOG_FATE    "  %-24s   and memhog %s\n"
#define DT_HOG_CEILING "reached its own ceiling: nothing else stopped it"
#define DT_HOG_CT_OOM  "was killed by the OOM killer inside its container"
#define DT_HOG_VM_OOM  "was killed by the guest's own kernel"
#define DT_HOG_CAPPED  "was refused more memory at its limit"
#define DT_HOG_OTHER   "ended: %s"
#define DT_MEM_UNHURT                                                                              \
    "\nWith no limits memhog took up to 1 GiB of the host's memory and the victim did\n"           \
    "not notice. That is the honest result, not a broken demo: this host had %s\n"                 \
    "free, so nothing was short. Memory pressure hurts only once memory runs out:\n"               \
    "then the kernel reclaims (everything slows down), then its OOM killer kills\n"                \
    "the biggest process, which need not be the hog. We do not push this host that\n"              \
    "far on purpose.\n"
#define DT_MEM_HURT                                                                                \
    "\nWith no limits memhog took up to 1 GiB of the host's memory and the victim lost %.0f%%.\n"  \
    "Not for lack of memory: this host had %s free. What the hog took from its\n"                  \
    "neighbour is CPU time: the kernel zeroes every page it grabs, on the same\n"                  \
    "cores the victim runs on, and nothing limits it. (The host is shared, so\n"                   \
    "part of it may be noise: compare with how far apart the solo runs were.)\n"
#define DT_WALLS                                                                                   \
    "What the walls did is plain: the plain process had no limit at all, and\n"                    \
    "%s stopped memhog at its limit.\n"
#define DT_WALLS_CT   "the container"
#define DT_WALLS_VM   "the VM"
#define DT_WALLS_BOTH "the container and the VM"
#define DT_CPU_INTRO                                                                               \
    "\nWhat a neighbour takes most visibly on a small host is CPU time. Second\n"                  \
    "neighbour: `cpu` loops as greedy as the victim, one thread per core of this\n"                \
    "host (%u), so that with the victim they want more CPU than there is.\n"
#define DT_CPU_LESSON                                                                              \
    "\nWith no limits the loops share the CPUs however the scheduler likes, and\n"                 \
    "this host's %ld cores also run everything else (load average %.1f).\n"
#define DT_CPU_CT_OK                                                                               \
    "In the container a cgroup caps each loop at %s CPU, so the hog could not\n"                   \
    "take the victim's share.\n"
#define DT_CPU_CT_HURT                                                                             \
    "In the container a cgroup caps each loop at %s CPU, yet the victim still\n"                   \
    "lost %.0f%%: a cap is a ceiling, not a reservation. It keeps the hog below\n"                 \
    "its share, but when the host's cores are busy with other work the victim\n"                   \
    "does not always get even its own share (cpu.weight and pinning to separate\n"                 \
    "cores are the tools that reserve).\n"
#define DT_CPU_VM                                                                                  \
    "A VM's vCPU is one host thread: it keeps the guest's kernel apart, but two\n"                 \
    "VMs still compete for the host's cores like two processes unless they also\n"                 \
    "get a quota.\n"
#define DT_TAKEAWAY                                                                                \
    "\nTo take away: limits contain a neighbour. A container's limits are enforced\n"              \
    "by the shared kernel: cheap and fine-grained (128 MiB, half a CPU). A VM's\n"                 \
    "are a whole separate machine: coarse (its RAM, whole vCPUs) and expensive\n"                  \
    "(step 3), but even its kernel is its own.\n"

/* ---- step 5 ------------------------------------------------------------------------- */
#define DT_INTRO5                                                                                  \
    "Everything measured above is in\n  %s\n(schema vcbench-results/1.1), so `vcbench report` "    \
    "can "                                                                                         \
    "redraw it later,\n"                                                                           \
    "or `vcbench compare` set it against another host. Now the report: plots\n"                    \
    "and one page to open in a browser.\n"
#define DT_STOPPED "\nStopped: every instance is gone. What was measured so far is in %s.\n"

/* ---- common ------------------------------------------------------------------------- */
#define DT_SKIPPED    "  %-24s skipped: %s\n"
#define DT_ROW_FAILED "  %-24s failed: %s\n"
#define DT_FIRST_TCG  "  (%s runs emulated (TCG): %s)\n"

#endif
