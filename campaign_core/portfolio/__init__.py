"""Figures across shops: a campaign that spans shops (``combined``) and the Portfolio page
(``overview``), each shop's money converted day by day (``campaign_core.fx``)."""
