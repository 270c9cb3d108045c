// cppleak.cpp — a C++ program whose heap profile has mangled names of every
// common kind: operator new / new[], std::vector<int>::push_back (and its
// _M_realloc_insert), std::map, std::string, a lambda, a function in an
// anonymous namespace, a template function, a constructor. It leaks what it
// allocates (nothing is freed), so `memscope run --leak-check` reports it too.
// Built and run as testdata/README says (demangle/).
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace {
__attribute__((noinline)) int *leak_array(int n) { return new int[n]; }
} // namespace

template <typename T> __attribute__((noinline)) std::vector<T> *make_vector(int n)
{
	auto *v = new std::vector<T>;
	for (int i = 0; i < n; i++)
		v->push_back(T(i));
	return v;
}

struct Node {
	std::string name;
	Node *next;
	__attribute__((noinline)) explicit Node(const char *s) : name(s), next(nullptr) {}
};

int main()
{
	volatile long sink = 0;
	for (int i = 0; i < 50; i++) {
		sink += reinterpret_cast<long>(leak_array(1000));
		sink += reinterpret_cast<long>(make_vector<int>(5000));
		sink += reinterpret_cast<long>(new Node("a node name long enough to be on the heap"));
	}
	auto *m = new std::map<int, std::string>;
	auto fill = [m](int n) {
		for (int i = 0; i < n; i++)
			(*m)[i] = std::string(100, 'x');
	};
	fill(2000);
	std::printf("%ld %zu\n", (long)(sink != 0), m->size());
	return 0;
}
