/* SPDX-License-Identifier: Apache-2.0 */
/* Constant descriptions of fc_err_t codes. */
#include "fc/err.h"

const char *fc_strerror(int err)
{
    switch (err) {
    case FC_STOP:               return "stopped by helper";
    case FC_OK:                 return "ok";
    case FC_ERR_INVAL:          return "invalid argument";
    case FC_ERR_NOMEM:          return "buffer or table too small";
    case FC_ERR_NOTSUP:         return "not supported";
    case FC_ERR_NOENT:          return "no such entry";
    case FC_ERR_EXISTS:         return "already exists";
    case FC_ERR_BUSY:           return "busy";
    case FC_ERR_PERM:           return "not permitted";
    case FC_ERR_FULL:           return "full";
    case FC_ERR_QUOTA:          return "quota exhausted";
    case FC_ERR_EMPTY:          return "empty program";
    case FC_ERR_RAGGED:         return "program length not a multiple of 8";
    case FC_ERR_OPCODE:         return "invalid instruction";
    case FC_ERR_REG:            return "invalid register";
    case FC_ERR_JUMP:           return "invalid jump";
    case FC_ERR_FALLOFF:        return "program can fall off its end";
    case FC_ERR_CALL:           return "invalid call";
    case FC_ERR_HELPER:         return "unknown helper";
    case FC_ERR_HELPER_PERM:    return "helper not permitted";
    case FC_ERR_DIV_ZERO:       return "division by immediate zero";
    case FC_ERR_LDDW:           return "invalid 64-bit load";
    case FC_ERR_LEGACY:         return "legacy packet access";
    case FC_ERR_STACK:          return "program needs more stack";
    case FC_ERR_TOO_BIG:        return "program too big";
    case FC_ERR_NOT_VERIFIED:   return "program not verified";
    case FC_ERR_MEM:            return "memory access out of bounds";
    case FC_ERR_MEM_PERM:       return "memory access not permitted";
    case FC_ERR_BUDGET:         return "instruction budget exhausted";
    case FC_ERR_CALL_DEPTH:     return "call depth limit exceeded";
    case FC_ERR_STACK_OVERFLOW: return "stack overflow";
    case FC_ERR_HELPER_FAIL:    return "helper failed";
    case FC_ERR_BAD_PC:         return "entry point outside program";
    case FC_ERR_IMG_MAGIC:      return "not an image (bad magic)";
    case FC_ERR_IMG_VERSION:    return "unsupported image version";
    case FC_ERR_IMG_TRUNC:      return "image truncated";
    case FC_ERR_IMG_CHECKSUM:   return "image checksum mismatch";
    case FC_ERR_IMG_LAYOUT:     return "bad image layout";
    case FC_ERR_IMG_ENTRY:      return "bad image entry table";
    case FC_ERR_SIGNATURE:      return "bad signature";
    case FC_ERR_REPLAY:         return "sequence number not newer";
    case FC_ERR_TENANT:         return "unknown or unauthorised tenant";
    case FC_ERR_IO:             return "I/O error";
    case FC_ERR_FORMAT:         return "malformed input";
    default:                    return "unknown error";
    }
}
