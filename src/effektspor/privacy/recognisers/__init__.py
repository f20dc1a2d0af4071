"""The built-in recognisers, one small module per kind of identifier."""
