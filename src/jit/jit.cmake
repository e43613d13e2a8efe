# SPDX-License-Identifier: Apache-2.0
# The JIT (src/jit) is part of every core library a host build makes; FC_WITH_JIT
# tells include/fc/jit.h that its sources are built, so FC_JIT is 1 where a backend
# exists for the target. Builds that list src/core/*.c themselves (RIOT, cross
# builds) leave it out and run the interpreters.
foreach(lib fc_core fc_core_switch fc_core_compact)
  target_sources(${lib} PRIVATE ${CMAKE_SOURCE_DIR}/src/jit/jit.c ${CMAKE_SOURCE_DIR}/src/jit/jit_x86_64.c)
  target_compile_definitions(${lib} PUBLIC FC_WITH_JIT=1)
endforeach()
