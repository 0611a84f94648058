"""networkx reference for tests/bench/network.bench.ts: bridges and connected
components of the same primary graph (edge list "u v" per line), timed.
Prints one JSON line."""
import json
import sys
import time

import networkx as nx


def main(path: str) -> None:
    g = nx.Graph()
    with open(path) as f:
        g.add_edges_from((int(a), int(b)) for a, b in (line.split() for line in f if line.strip()))
    # Best of 3 for small graphs, like the TypeScript side (the machine is shared); once for big ones.
    runs = 3 if g.number_of_edges() <= 200_000 else 1
    bridges_s = components_s = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        bridges = sum(1 for _ in nx.bridges(g))
        bridges_s = min(bridges_s, time.perf_counter() - t)
        t = time.perf_counter()
        components = sum(1 for _ in nx.connected_components(g))
        components_s = min(components_s, time.perf_counter() - t)
    print(json.dumps({"bridges": bridges, "bridgesS": bridges_s, "components": components,
                      "componentsS": components_s, "nodes": g.number_of_nodes(), "edges": g.number_of_edges()}))


if __name__ == "__main__":
    main(sys.argv[1])
