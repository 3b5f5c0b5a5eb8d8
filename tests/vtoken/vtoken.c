/*
 * vtoken: a PKCS#11 module that makes SoftHSM2 behave like a citizen's USB token.
 *
 * It forwards every call to the module named by $VTOKEN_TARGET and adds what SoftHSM2 lacks,
 * driven by files in the folder $VTOKEN_STATE (absent files: plain SoftHSM2 behaviour):
 *
 *   pinpad        the token has a PIN pad (CKF_PROTECTED_AUTHENTICATION_PATH); C_Login with no
 *                 PIN "types" the PIN this file holds on the pad.
 *   lockout       the token counts wrong user PINs in the file `tries` (kept across processes,
 *                 like a real token) and reports CKF_USER_PIN_COUNT_LOW, CKF_USER_PIN_FINAL_TRY
 *                 and, after the third, CKF_USER_PIN_LOCKED; a locked token refuses every login.
 *   unplug-after  after this many signatures (counted in the file `signatures`) the token is
 *                 pulled out: calls then fail with CKR_DEVICE_REMOVED / CKR_TOKEN_NOT_PRESENT.
 *
 * Built by the test suite with the system C compiler and p11-kit's pkcs11.h.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p11-kit/pkcs11.h"

#define MAX_TRIES 3

static CK_FUNCTION_LIST_PTR real;
static CK_FUNCTION_LIST shim;

static int state_path(char *buf, size_t len, const char *name)
{
    const char *dir = getenv("VTOKEN_STATE");
    if (dir == NULL)
        return 0;
    return snprintf(buf, len, "%s/%s", dir, name) < (int)len;
}

static int read_text(const char *name, char *out, size_t len)
{
    char path[4096];
    FILE *f;
    size_t n;
    if (!state_path(path, sizeof path, name) || (f = fopen(path, "r")) == NULL)
        return 0;
    n = fread(out, 1, len - 1, f);
    fclose(f);
    out[n] = 0;
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = 0;
    return 1;
}

static long read_number(const char *name, long fallback)
{
    char text[64];
    return read_text(name, text, sizeof text) ? strtol(text, NULL, 10) : fallback;
}

static void write_number(const char *name, long value)
{
    char path[4096];
    FILE *f;
    if (state_path(path, sizeof path, name) && (f = fopen(path, "w")) != NULL) {
        fprintf(f, "%ld\n", value);
        fclose(f);
    }
}

static int has(const char *name)
{
    char text[8];
    return read_text(name, text, sizeof text);
}

static int unplugged(void)
{
    long after = read_number("unplug-after", -1);
    return after >= 0 && read_number("signatures", 0) >= after;
}

static CK_RV vt_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count)
{
    if (present && unplugged()) {
        *count = 0;
        return CKR_OK;
    }
    return real->C_GetSlotList(present, list, count);
}

static CK_RV vt_GetSlotInfo(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info)
{
    CK_RV rv = real->C_GetSlotInfo(slot, info);
    if (rv == CKR_OK && unplugged())
        info->flags &= ~CKF_TOKEN_PRESENT;
    return rv;
}

static CK_RV vt_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info)
{
    CK_RV rv;
    if (unplugged())
        return CKR_TOKEN_NOT_PRESENT;
    rv = real->C_GetTokenInfo(slot, info);
    if (rv != CKR_OK)
        return rv;
    if (has("pinpad"))
        info->flags |= CKF_PROTECTED_AUTHENTICATION_PATH;
    if (has("lockout")) {
        long tries = read_number("tries", 0);
        info->flags &= ~(CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED);
        if (tries > 0 && tries < MAX_TRIES)
            info->flags |= CKF_USER_PIN_COUNT_LOW;
        if (tries == MAX_TRIES - 1)
            info->flags |= CKF_USER_PIN_FINAL_TRY;
        if (tries >= MAX_TRIES)
            info->flags |= CKF_USER_PIN_LOCKED;
    }
    return rv;
}

static CK_RV vt_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify,
                            CK_SESSION_HANDLE_PTR session)
{
    if (unplugged())
        return CKR_TOKEN_NOT_PRESENT;
    return real->C_OpenSession(slot, flags, app, notify, session);
}

static CK_RV vt_Login(CK_SESSION_HANDLE session, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
    char typed[256];
    int lockout = user == CKU_USER && has("lockout");
    CK_RV rv;
    if (unplugged())
        return CKR_DEVICE_REMOVED;
    if (pin == NULL) {
        /* The protected authentication path: the holder types the PIN on the token itself. */
        if (!read_text("pinpad", typed, sizeof typed))
            return CKR_ARGUMENTS_BAD;
        pin = (CK_UTF8CHAR_PTR)typed;
        len = strlen(typed);
    }
    if (lockout && read_number("tries", 0) >= MAX_TRIES)
        return CKR_PIN_LOCKED;
    rv = real->C_Login(session, user, pin, len);
    if (lockout && rv == CKR_PIN_INCORRECT)
        write_number("tries", read_number("tries", 0) + 1);
    else if (lockout && rv == CKR_OK)
        write_number("tries", 0);
    return rv;
}

static void count_signature(CK_RV rv, CK_BYTE_PTR signature)
{
    /* A call with no output buffer only asks for the length. */
    if (rv == CKR_OK && signature != NULL)
        write_number("signatures", read_number("signatures", 0) + 1);
}

static CK_RV vt_SignInit(CK_SESSION_HANDLE session, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key)
{
    if (unplugged())
        return CKR_DEVICE_REMOVED;
    return real->C_SignInit(session, mech, key);
}

static CK_RV vt_Sign(CK_SESSION_HANDLE session, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR sig,
                     CK_ULONG_PTR sig_len)
{
    CK_RV rv;
    if (unplugged())
        return CKR_DEVICE_REMOVED;
    rv = real->C_Sign(session, data, len, sig, sig_len);
    count_signature(rv, sig);
    return rv;
}

static CK_RV vt_SignFinal(CK_SESSION_HANDLE session, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
    CK_RV rv;
    if (unplugged())
        return CKR_DEVICE_REMOVED;
    rv = real->C_SignFinal(session, sig, sig_len);
    count_signature(rv, sig);
    return rv;
}

static CK_RV vt_FindObjectsInit(CK_SESSION_HANDLE session, CK_ATTRIBUTE_PTR templ, CK_ULONG count)
{
    if (unplugged())
        return CKR_DEVICE_REMOVED;
    return real->C_FindObjectsInit(session, templ, count);
}

static CK_RV vt_GetAttributeValue(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_PTR templ,
                                  CK_ULONG count)
{
    if (unplugged())
        return CKR_DEVICE_REMOVED;
    return real->C_GetAttributeValue(session, obj, templ, count);
}

static CK_RV vt_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list);

static CK_RV load(void)
{
    const char *target = getenv("VTOKEN_TARGET");
    void *handle;
    CK_C_GetFunctionList get;
    if (real != NULL)
        return CKR_OK;
    if (target == NULL || (handle = dlopen(target, RTLD_NOW | RTLD_LOCAL)) == NULL)
        return CKR_GENERAL_ERROR;
    get = (CK_C_GetFunctionList)dlsym(handle, "C_GetFunctionList");
    if (get == NULL || get(&real) != CKR_OK)
        return CKR_GENERAL_ERROR;
    shim = *real;
    shim.C_GetFunctionList = vt_GetFunctionList;
    shim.C_GetSlotList = vt_GetSlotList;
    shim.C_GetSlotInfo = vt_GetSlotInfo;
    shim.C_GetTokenInfo = vt_GetTokenInfo;
    shim.C_OpenSession = vt_OpenSession;
    shim.C_Login = vt_Login;
    shim.C_SignInit = vt_SignInit;
    shim.C_Sign = vt_Sign;
    shim.C_SignFinal = vt_SignFinal;
    shim.C_FindObjectsInit = vt_FindObjectsInit;
    shim.C_GetAttributeValue = vt_GetAttributeValue;
    return CKR_OK;
}

static CK_RV vt_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
    CK_RV rv = load();
    if (rv != CKR_OK)
        return rv;
    *list = &shim;
    return CKR_OK;
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
    return vt_GetFunctionList(list);
}
