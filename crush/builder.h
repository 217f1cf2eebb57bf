// crush/builder: makes buckets the way Ceph's builder does (uniform, list,
// tree, straw with both straw_calc_versions, straw2), places them at their
// ids and finalises a map (max_devices). The text compiler (crush/text_map.h)
// and the fleet's map (crush/fleet_map.h) both build through here.
#pragma once

#include <vector>

#include "crush/map.h"
#include "util/status.h"

namespace cs::crush {

Bucket MakeBucket(BucketAlg alg, int hash, int type, const std::vector<int>& items,
                  const std::vector<uint32_t>& weights, uint32_t straw_calc_version);

// Places the bucket at id (< 0), growing max_buckets by doubling from 8 as
// Ceph does. AlreadyExists when the id is taken.
Status AddBucket(Map& map, int id, Bucket bucket);

// The first free bucket id, -1 - (first empty slot).
int NextBucketId(const Map& map);

// max_devices = 1 + the largest device id in a bucket or named.
void Finalize(Map& map);

}  // namespace cs::crush
