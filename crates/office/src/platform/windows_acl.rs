//! The Windows half of "only this user may read the key": a protected access list with one
//! entry, the signed-in user, full control. Protected, so that nothing inherited from the
//! folder (Users, Administrators, a backup operator's group) is added back; the file's
//! owner may still change the list, which is what Windows means by owning a file.
//!
//! This is the one place the workspace allows `unsafe`: Windows has no safe interface for
//! access lists in the standard library, and each call below is a documented Win32
//! function used as documented, with every returned buffer freed with `LocalFree`.
#![allow(unsafe_code)]

use std::ffi::{OsStr, OsString};
use std::io;
use std::os::windows::ffi::{OsStrExt, OsStringExt};
use std::path::Path;

use windows_sys::Win32::Foundation::{CloseHandle, HANDLE, LocalFree};
use windows_sys::Win32::Security::Authorization::{
    ConvertSecurityDescriptorToStringSecurityDescriptorW, ConvertSidToStringSidW,
    ConvertStringSecurityDescriptorToSecurityDescriptorW, SDDL_REVISION_1,
};
use windows_sys::Win32::Security::{
    DACL_SECURITY_INFORMATION, GetFileSecurityW, GetTokenInformation,
    PROTECTED_DACL_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR, SetFileSecurityW, TOKEN_QUERY,
    TOKEN_USER, TokenUser,
};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

fn wide(text: &OsStr) -> Vec<u16> {
    text.encode_wide().chain(std::iter::once(0)).collect()
}

/// A NUL-terminated string Windows allocated, read and freed.
///
/// # Safety
/// `text` must be a NUL-terminated UTF-16 string from `LocalAlloc`.
unsafe fn take_local_string(text: *mut u16) -> String {
    let mut len = 0;
    // SAFETY: the caller promises a NUL-terminated string.
    while unsafe { *text.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: `len` units were just read from it.
    let units = unsafe { std::slice::from_raw_parts(text, len) };
    let owned = OsString::from_wide(units).to_string_lossy().into_owned();
    // SAFETY: allocated by Windows with LocalAlloc, freed once.
    unsafe { LocalFree(text.cast()) };
    owned
}

/// The signed-in user's security identifier, as `S-1-5-21-…`.
pub fn current_user_sid() -> io::Result<String> {
    let mut token: HANDLE = std::ptr::null_mut();
    // SAFETY: the pseudo-handle of this process; `token` receives a handle closed below.
    if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
        return Err(io::Error::last_os_error());
    }
    let mut needed = 0u32;
    // SAFETY: asks for the size only (a null buffer of length 0 is allowed).
    unsafe { GetTokenInformation(token, TokenUser, std::ptr::null_mut(), 0, &mut needed) };
    // u64 words keep the buffer aligned for TOKEN_USER.
    let mut buffer = vec![0u64; (needed as usize).div_ceil(8).max(1)];
    // SAFETY: the buffer holds `needed` bytes.
    let filled = unsafe {
        GetTokenInformation(
            token,
            TokenUser,
            buffer.as_mut_ptr().cast(),
            needed,
            &mut needed,
        )
    };
    let result = if filled == 0 {
        Err(io::Error::last_os_error())
    } else {
        // SAFETY: filled by GetTokenInformation with a TOKEN_USER, aligned by the u64 words.
        let user = unsafe { &*buffer.as_ptr().cast::<TOKEN_USER>() };
        let mut text = std::ptr::null_mut();
        // SAFETY: the SID lives in `buffer`, alive for this call.
        if unsafe { ConvertSidToStringSidW(user.User.Sid, &mut text) } == 0 {
            Err(io::Error::last_os_error())
        } else {
            // SAFETY: a LocalAlloc'd NUL-terminated string from ConvertSidToStringSidW.
            Ok(unsafe { take_local_string(text) })
        }
    };
    // SAFETY: opened above, closed once.
    unsafe { CloseHandle(token) };
    result
}

/// Replace the access list of `path` by `sddl`'s (a security descriptor in SDDL).
pub fn set_access(path: &Path, sddl: &str) -> io::Result<()> {
    let sddl = wide(OsStr::new(sddl));
    let mut descriptor: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
    // SAFETY: a NUL-terminated string; `descriptor` receives a LocalAlloc'd descriptor.
    let made = unsafe {
        ConvertStringSecurityDescriptorToSecurityDescriptorW(
            sddl.as_ptr(),
            SDDL_REVISION_1,
            &mut descriptor,
            std::ptr::null_mut(),
        )
    };
    if made == 0 {
        return Err(io::Error::last_os_error());
    }
    let path = wide(path.as_os_str());
    // SAFETY: a NUL-terminated path and the descriptor made above.
    let set = unsafe {
        SetFileSecurityW(
            path.as_ptr(),
            DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
            descriptor,
        )
    };
    let result = if set == 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    };
    // SAFETY: allocated by ConvertStringSecurityDescriptorToSecurityDescriptorW, freed once.
    unsafe { LocalFree(descriptor) };
    result
}

/// The access list of `path`, in SDDL (`D:P(A;;FA;;;S-1-5-21-…)`).
pub fn access_of(path: &Path) -> io::Result<String> {
    let path = wide(path.as_os_str());
    let mut needed = 0u32;
    // SAFETY: asks for the size only.
    unsafe {
        GetFileSecurityW(
            path.as_ptr(),
            DACL_SECURITY_INFORMATION,
            std::ptr::null_mut(),
            0,
            &mut needed,
        )
    };
    let mut buffer = vec![0u64; (needed as usize).div_ceil(8).max(1)];
    // SAFETY: the buffer holds `needed` bytes.
    let read = unsafe {
        GetFileSecurityW(
            path.as_ptr(),
            DACL_SECURITY_INFORMATION,
            buffer.as_mut_ptr().cast(),
            needed,
            &mut needed,
        )
    };
    if read == 0 {
        return Err(io::Error::last_os_error());
    }
    let mut text = std::ptr::null_mut();
    // SAFETY: the descriptor just read into `buffer`.
    let converted = unsafe {
        ConvertSecurityDescriptorToStringSecurityDescriptorW(
            buffer.as_mut_ptr().cast(),
            SDDL_REVISION_1,
            DACL_SECURITY_INFORMATION,
            &mut text,
            std::ptr::null_mut(),
        )
    };
    if converted == 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a LocalAlloc'd NUL-terminated string.
    Ok(unsafe { take_local_string(text) })
}
