"""The assets a MetaGraphDef declares, decoded defensively (a hostile `Any` must not crash us)."""

from __future__ import annotations

from pathlib import Path

from google.protobuf import message
from tensorflow.core.protobuf import meta_graph_pb2

from migrate.errors import InputError

ASSETS_COLLECTION = "saved_model_assets"


def asset_file_defs(
    meta: meta_graph_pb2.MetaGraphDef, source: Path | None = None
) -> list[meta_graph_pb2.AssetFileDef]:
    """Assets as TF2 (`asset_file_def`) and TF1 (`saved_model_assets` collection) record them."""
    assets = list(meta.asset_file_def)
    if ASSETS_COLLECTION not in meta.collection_def:
        return assets
    for index, item in enumerate(meta.collection_def[ASSETS_COLLECTION].any_list.value):
        asset = meta_graph_pb2.AssetFileDef()
        try:
            unpacked = item.Is(asset.DESCRIPTOR) and item.Unpack(asset)
        except message.DecodeError:
            unpacked = False
        if not unpacked:
            raise InputError(
                f"entry {index} of the {ASSETS_COLLECTION} collection is not a valid AssetFileDef.",
                path=source,
                fix="the SavedModel is corrupt; copy it again from the original export.",
            )
        assets.append(asset)
    return assets
