// capi_guard.hpp: the single exception barrier every extern "C" function goes through.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <new>

#include "errors.hpp"
#include "smup_capi.h"

namespace smup {

// The message, cut to fit at a UTF-8 character boundary ("..." marks a cut): never invalid text.
inline void set_message(smup_error* err, const char* text) {
    if (!err) return;
    const std::string_view all(text);
    constexpr size_t room = sizeof err->message - 1;
    if (all.size() <= room) {
        std::memcpy(err->message, all.data(), all.size());
        err->message[all.size()] = '\0';
        return;
    }
    const size_t keep = utf8_prefix_length(all, room - 3);
    std::memcpy(err->message, all.data(), keep);
    std::memcpy(err->message + keep, "...", 4);
}

// A malloc'd array the C glue releases with smup_free (never empty, so never NULL on success).
template <typename T>
T* alloc_array(size_t n) {
    void* p = std::malloc((n ? n : 1) * sizeof(T));
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
}

// Runs body() and turns whatever it throws into a status and a message; nothing escapes.
template <typename Body>
smup_status guarded(smup_error* err, Body&& body) noexcept {
    try {
        body();
        return SMUP_OK;
    } catch (const Cancelled& e) {
        set_message(err, e.what());
        return SMUP_CANCELLED;
    } catch (const InvalidText& e) {
        set_message(err, e.what());
        return SMUP_INVALID_TEXT;
    } catch (const InvalidGeometry& e) {
        set_message(err, e.what());
        return SMUP_INVALID_GEOMETRY;
    } catch (const InvalidArgument& e) {
        set_message(err, e.what());
        return SMUP_INVALID_ARGUMENT;
    } catch (const OutOfRange& e) {
        set_message(err, e.what());
        return SMUP_OUT_OF_RANGE;
    } catch (const NotFinite& e) {
        set_message(err, e.what());
        return SMUP_NOT_FINITE;
    } catch (const std::bad_alloc&) {
        set_message(err, "out of memory in the smup core");
        return SMUP_OUT_OF_MEMORY;
    } catch (const std::exception& e) {
        set_message(err, e.what());
        return SMUP_INTERNAL;
    } catch (...) {
        set_message(err, "unknown C++ exception in the smup core");
        return SMUP_INTERNAL;
    }
}

}  // namespace smup
