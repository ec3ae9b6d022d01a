# SPDX-License-Identifier: LGPL-2.1-or-later
# vcb-manpage.cmake — run at build time (cmake -P) once vcbench is built:
# writes vcbench(1) from the --help texts themselves (the command list from
# `vcbench --help`, a section per command from `vcbench <command> --help`),
# so the manual cannot drift from the program. Only ENVIRONMENT, FILES and
# SEE ALSO are written here.
#   cmake -DVCBENCH=<binary> -DOUT=<vcbench.1> -P vcb-manpage.cmake
include(${CMAKE_CURRENT_LIST_DIR}/vcb-write-if-changed.cmake)

# The defaults the texts print, not this build machine's environment.
unset(ENV{VCB_STATE_DIR})
unset(ENV{VCB_RUN_DIR})
unset(ENV{LIBVIRT_DEFAULT_URI})

function(vcb_help out)
  execute_process(COMMAND "${VCBENCH}" ${ARGN} OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "vcbench ${ARGN}: exit ${rc}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Text shown as it is: roff escapes, hyphens as minus signs (copy-pasteable
# options), no line taken for a request.
function(vcb_roff_verbatim out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} ".nf\n${text}.fi\n" PARENT_SCOPE)
endfunction()

vcb_help(version --version)
string(REGEX REPLACE "^vcbench ([^ \n]+).*" "\\1" version "${version}")
vcb_help(main --help)
string(REGEX MATCH "\ncommands:\n([^\n]+\n)+" list "${main}")
string(REGEX MATCHALL "\n  [a-z]+ " names "${list}")

set(page ".TH VCBENCH 1 \"\" \"vcbench ${version}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\nvcbench \\- the same workload as a process, a container and a VM, measured side by side\n")
string(APPEND page ".SH SYNOPSIS\n")
vcb_roff_verbatim(text "${main}")
string(APPEND page "${text}")
string(APPEND page ".SH COMMANDS\n")
foreach(n ${names})
  string(STRIP "${n}" n)
  vcb_help(text ${n} --help)
  vcb_roff_verbatim(text "${text}")
  string(APPEND page ".SS \"vcbench ${n}\"\n${text}")
endforeach()
string(APPEND page ".SH ENVIRONMENT
.TP
.B LIBVIRT_DEFAULT_URI
libvirt URI when neither \\fB\\-c\\fR nor \\fB\\-\\-vm\\-uri\\fR gives one (as for virsh).
.TP
.B VCB_STATE_DIR
guest kernel, images and the KVM verdict cache (default \\fI/var/lib/vcbench\\fR).
.TP
.B VCB_RUN_DIR
run directories of live runs (default \\fI/run/vcbench\\fR).
.TP
.B VCB_LIBEXEC_DIR
vcb\\-init and the workload binaries (default: next to the binary).
.TP
.B VCB_SUITE_DIR
where named suites are looked up first.
.TP
.B VCB_GNUPLOT
the gnuplot binary reports use.
.SH FILES
.TP
.I /var/lib/vcbench/kernel/vmlinuz
the guest kernel scripts/setup unpacks from Debian's linux\\-image\\-cloud\\-amd64.
.TP
.I /var/lib/vcbench/accel\\-cache.json
KVM or TCG, as the probe boot found, per host boot, /dev/kvm owner and mode, URI and guest kernel.
.SH SEE ALSO
.BR virsh (1),
.BR qemu\\-system\\-x86_64 (1),
.BR gnuplot (1)
")
vcb_write_if_changed("${OUT}" "${page}")
