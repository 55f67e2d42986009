/* ProcessPrng for Wine 8, for running the Windows test binaries under Wine in CI only.
 *
 * Rust's standard library takes its randomness from ProcessPrng in bcryptprimitives.dll,
 * which every Windows 10 and 11 has, but Debian 12's Wine 8 does not (it came with Wine 9).
 * Placed beside the test binaries, this DLL answers it from RtlGenRandom, the generator
 * Wine does have. It is never shipped: the zip holds renkei.exe alone, which uses the
 * system's own bcryptprimitives.dll on Windows. */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
