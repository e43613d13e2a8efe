/* SPDX-License-Identifier: Apache-2.0 */
/* C++ without exceptions and RTTI: a class template, references, constexpr,
 * operator overloading, a namespace, a lambda; the SDK headers as C++. */
#include <femto/femto.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

namespace stats {

template <typename T, size_t N> class ring {
public:
    void push(T v)
    {
        data_[head_] = v;
        head_ = (head_ + 1) % N;
        if (count_ < N)
            count_++;
    }
    T sum() const
    {
        T s = 0;
        for (size_t i = 0; i < count_; i++)
            s += data_[i];
        return s;
    }
    size_t size() const { return count_; }

private:
    T data_[N] = {};
    size_t head_ = 0, count_ = 0;
};

struct vec2 {
    int32_t x, y;
    constexpr vec2 operator+(const vec2 &o) const { return { x + o.x, y + o.y }; }
    constexpr int64_t dot(const vec2 &o) const { return (int64_t)x * o.x + (int64_t)y * o.y; }
};

constexpr uint32_t fnv(const char *s, uint32_t h = 2166136261u)
{
    return *s ? fnv(s + 1, (h ^ (uint8_t)*s) * 16777619u) : h;
}

} // namespace stats

static stats::ring<int64_t, 8> window;

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    stats::vec2 acc{ 0, 0 };
    auto at = [&](uint64_t i) -> int32_t { return (int8_t)ctx[i % len]; };
    for (uint64_t i = 0; i + 1 < len; i += 2) {
        stats::vec2 v{ at(i), at(i + 1) };
        acc = acc + v;
        window.push(acc.dot(v));
    }
    constexpr uint32_t tag = stats::fnv("femto");
    static_assert(tag != 0, "constexpr evaluated");
    bool big = window.sum() > INT_MAX;
    char name[8];
    memcpy(name, "cxx", 4);
    return (uint64_t)window.sum() * 3 + window.size() + tag + big + strlen(name);
}
