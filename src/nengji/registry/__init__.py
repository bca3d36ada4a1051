"""The registry of innovation entities: enterprises (by 统一社会信用代码), their designations and
yearly figures, the growth ladder, carriers and the map."""
